"""PBJP documents: numbering, terbilang, taxes and the PDFs an auditor accepts."""
