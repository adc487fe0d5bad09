"""App packages: Android (APK) and iOS (IPA), read within limits (see ``archive``)."""
