"""Step 4: executed notebooks -> HTML/PDF under outputs/, published atomically, and the
sheet write-back (Tổng hợp tab).

Importing this package tells Python not to load `rfc3987_syntax`: jsonschema (imported
by nbformat, hence by papermill and nbconvert) loads it, when installed, only to check
the optional `iri` string format, and it compiles 39 Lark grammars at import — 1.2 s
of a 2.9 s briefing floor on the development machine. Notebook schemas use no `iri`
format, and nothing here checks formats (jupyter-events installs the package through
`jsonschema[format-nongpl]`). Without it jsonschema simply has no `iri` checker.
"""

import sys

if "jsonschema" not in sys.modules:  # once jsonschema is loaded the choice is made
    sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` -> ImportError
