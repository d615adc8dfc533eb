"""The scrape stage."""
