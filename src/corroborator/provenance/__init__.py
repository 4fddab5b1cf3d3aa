"""Stage 4, provenance: who copied whom (shared text, shared media, citations, owners) and independent origins."""
