"""E-mail: building and sending messages (``transport``), their French texts
(``messages``, ``templates/``), the reminders that go out on their own (``reminders``) and
the runner that decides and delivers them from the outbox (``followups``).
"""
