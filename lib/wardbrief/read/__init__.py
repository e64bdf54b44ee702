"""Step 1 of the pipeline: from a spreadsheet to typed frames and data issues.

sources/   raw cells of every tab (.xlsx, CSV folder, Google Sheet) + fingerprint
schema     the contract's tabs, headers, aliases and settings, declared once
names      the matching key of section 1 of the contract
cells, dates   cell values and date parsing, once per distinct value
contract   read_workbook(raw) -> Workbook (frames, settings, DataIssues)
messages   what each data issue says to staff (Vietnamese)
privacy    masking of personal data and shortening of citizen text
"""
