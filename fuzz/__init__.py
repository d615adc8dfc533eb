"""atheris (libFuzzer) harnesses for the scraper and the identifier parser; `make fuzz`."""
