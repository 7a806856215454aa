/** The dashboard's controllers, view models and templates' helpers; nothing here is API for other modules. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.dashboard.web;
