"""Reports: Allure HTML and compliance reports for partners."""
