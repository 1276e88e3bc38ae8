"""kefu's reply templates (replies.yml), in English and Chinese, several wordings each."""
