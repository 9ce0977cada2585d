"""Rule-of-law culture places (法治文化阵地): coordinate systems (geo) and links into map apps (maplinks)."""
