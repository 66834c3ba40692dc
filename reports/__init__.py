"""Reports: matplotlib charts and the self-contained HTML report of a study."""
