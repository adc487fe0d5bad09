"""`antai check dns`: DNSSEC (DS at the parent, DNSKEY, signatures and their expiry), CAA, SPF and DMARC of
domains, asked of one name server or of the system's resolvers, and validated by antai itself.

``names`` checks what the user typed; ``query`` is the only I/O; ``zone`` turns the answers into plain
:mod:`~antai.collectors.dns.facts`; the checks in ``checks`` are pure functions of those facts.
"""
