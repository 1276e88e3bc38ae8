"""kefu (客服): a self-hosted, bilingual AI customer-service assistant for online stores."""

__version__ = "0.1.0"
