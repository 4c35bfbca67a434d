"""Services: the bot's business rules that need the store, between the handlers and the domain.

Plain Python: a service takes the store, the settings and plain values, uses the domain, and
returns plain objects. It never sees an ``Update`` or a ``CallbackContext`` and imports nothing
from ``telegram``, ``bot.features`` or ``bot.app``; handlers parse, authorise, call a service and
render what it returns.
"""
