"""`antai check ipa`: an iOS package's Info.plist, provisioning profile and signed entitlements, read within
limits (see ``antai.collectors.mobile.archive``), then antai's checks on what they declare."""
