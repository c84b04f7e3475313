"""Simplified Chinese: ISO-style dates as the disclosure tables and bureau documents print them
(2020-05-12); amounts without digit grouping, exactly as the published tables print them."""

SHORT_DATE_FORMAT = "Y-m-d"           # 2020-05-12
SHORT_DATETIME_FORMAT = "Y-m-d H:i"   # 2020-05-12 14:30
DATETIME_FORMAT = "Y-m-d H:i:s"       # 2020-05-12 14:30:05 (history, edit conflicts)
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ""
NUMBER_GROUPING = 0                   # 1234567.80
