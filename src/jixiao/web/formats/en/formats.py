"""English: day-month-year with the month's name (never the ambiguous 05/12/2020), 24-hour
times, amounts grouped by thousands (1,234,567.80)."""

SHORT_DATE_FORMAT = "j M Y"            # 12 May 2020
SHORT_DATETIME_FORMAT = "j M Y, H:i"   # 12 May 2020, 14:30
DATETIME_FORMAT = "j M Y, H:i:s"       # 12 May 2020, 14:30:05
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3                    # 1,234,567.80
