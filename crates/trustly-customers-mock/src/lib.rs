//! A stateful local emulator of Trustly's (North America) Customers API.
