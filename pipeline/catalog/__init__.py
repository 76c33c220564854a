"""Catalog build: corpus folder -> catalogs, reports and site, cached and in parallel."""
