"""`antai check apk`: an Android app package's manifest, network security config, signature and DEX strings."""
