"""Browser journeys (a package, so the package-scoped browser ends with these tests)."""
