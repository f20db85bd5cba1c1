"""Low-level document building blocks: HTML to PDF, French formatting, exhibits."""
