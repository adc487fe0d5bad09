"""`antai check web`: TLS versions, the certificate, HSTS, the redirect to HTTPS and browser security
headers of web endpoints, looked at from outside like a browser would."""
