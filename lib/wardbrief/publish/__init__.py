"""Step 4: executed notebooks -> HTML/PDF under outputs/, published atomically, and the
sheet write-back (Tổng hợp tab)."""
