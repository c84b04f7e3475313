"""The 项目支出绩效目标表 in the web app: entry, the finance bureau's target review, the
pre-fill of the self-evaluation from the approved targets, and each indicator's trace."""
