/**
 * Intake: campaigns and their content rows from CSV, Google Sheets, the API and signed webhooks; CSV export and
 * sheet write-back of each row's outcome.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Intake")
@org.jspecify.annotations.NullMarked
package dev.crosspost.intake;
