"""Reports built from a run's output (Allure HTML, ...)."""
