"""Who the customer is: signed customer tokens and verification in chat."""

from kefu.identity.tokens import sign_customer_token, verify_customer_token

__all__ = ["sign_customer_token", "verify_customer_token"]
