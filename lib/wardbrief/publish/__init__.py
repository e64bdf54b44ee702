"""Step 4: executed notebooks -> HTML/PDF (render: the suite's nbconvert exporters), Word
files (docx), e-mail (mail) and the sheet write-back (sheet_writeback)."""
