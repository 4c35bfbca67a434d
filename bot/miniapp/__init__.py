"""The programme grid as a Telegram Mini App: the page (static/), its JSON API (api.py), the
data it shows (grid.py) and the check of Telegram's initData (init_data.py)."""
