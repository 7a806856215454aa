/**
 * A simulated Google Sheets API v4 under {@code /sandbox/sheets}: the service-account token endpoint (JWT bearer
 * grant), values get, update and batchUpdate with A1 ranges, the per-user per-minute quota with 429
 * {@code RESOURCE_EXHAUSTED}, and Google's error envelope. Spreadsheets live in memory; tests seed and read them
 * through {@code /sandbox/sheets/admin}.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.sheets;
