"""What vendors send and receive: the requirement workbook out, the response workbook in.

Nothing here imports Streamlit; the pages and the CLI call these functions alike.
"""
