"""Finding a customer, reading their profile and changing their default address."""

from __future__ import annotations

from sqlalchemy import func, select

from kefu.errors import InvalidInput, NotFound
from kefu.store import models as m
from kefu.store import rules
from kefu.store.db import Store
from kefu.store.operations import _load
from kefu.store.views import CustomerView, customer_view
from kefu.tools import tool


@tool()
def find_user_id_by_email(store: Store, email: str) -> str:
    """Find a customer's user id by their email address (case does not matter).

    Use this first to authenticate the customer; if they cannot remember their email,
    use find_user_id_by_name_zip. Returns the user id, such as 'sara_doe_496'.

    Args:
        email: The email of the customer, such as 'something@example.com'.
    """
    email = email.strip()
    if "@" not in email:
        raise InvalidInput(f"malformed email {email!r}", hint="an email looks like "
                           "'name@example.com'")
    with store.session() as session:
        user_id = session.scalar(select(m.Customer.id)
                                 .where(func.lower(m.Customer.email) == email.lower())
                                 .order_by(m.Customer.id).limit(1))
    if user_id is None:
        raise NotFound(f"no user with email {email}",
                       hint="check the spelling, or find the user by name and zip code")
    return user_id


@tool()
def find_user_id_by_name_zip(store: Store, first_name: str, last_name: str, zip: str) -> str:
    """Find a customer's user id by first name, last name (any case) and zip code.

    Use this only when the customer cannot be found by email. Returns the user id.

    Args:
        first_name: The first name of the customer, such as 'John'.
        last_name: The last name of the customer, such as 'Doe'.
        zip: The zip code of the customer's default address, such as '12345'.
    """
    if not (first_name.strip() and last_name.strip() and zip.strip()):
        raise InvalidInput("first_name, last_name and zip must all be given")
    with store.session() as session:
        user_id = session.scalar(
            select(m.Customer.id)
            .where(func.lower(m.Customer.first_name) == first_name.lower(),
                   func.lower(m.Customer.last_name) == last_name.lower(),
                   m.Customer.zip == zip)
            .order_by(m.Customer.id).limit(1))
    if user_id is None:
        raise NotFound(f"no user named {first_name} {last_name} with zip code {zip}",
                       hint="check the spelling and the zip code, or use the email")
    return user_id


@tool()
def get_user_details(store: Store, user_id: str) -> CustomerView:
    """Get a customer's profile: name, default address, email, payment methods (with
    gift card balances) and the ids of their orders.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
    """
    with store.session() as session:
        return customer_view(_load.customer(session, user_id))


@tool(writes=True)
def modify_user_address(store: Store, user_id: str, address1: str, address2: str, city: str,
                        state: str, country: str, zip: str) -> CustomerView:
    """Change the default address of a customer. Orders already placed keep their own
    shipping address (use modify_pending_order_address for a pending order).

    Explain the new address to the customer and get an explicit 'yes' before calling.
    Returns the customer's profile after the change.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
        address1: The first line of the address, such as '123 Main St'.
        address2: The second line of the address, such as 'Apt 1' or ''.
        city: The city, such as 'San Francisco'.
        state: The state or province, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '12345'.
    """
    address = {"address1": address1, "address2": address2, "city": city, "state": state,
               "country": country, "zip": zip}
    rules.check_address(address)
    with store.transaction() as session:
        customer = _load.customer(session, user_id, lock=True)
        for name, value in address.items():
            setattr(customer, name, value)
        session.flush()
        return customer_view(customer)
