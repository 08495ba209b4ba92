//! Client for Trustly's (North America) Customers API.
