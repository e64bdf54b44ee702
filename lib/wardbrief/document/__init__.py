"""A report as one document: the model (`model`), shaped by the report's section builders
(`wardbrief.briefings`), and its renderings — HTML through the one Jinja environment
(`templating`; the PDF is made from that HTML by the exporters), Word (`word`), e-mail
text (`email`); `notebook` reads the document back from an executed, edited notebook."""
