"""Scheduled work: periodic jobs that find due work in the database and put messages in the outbox.

``registry`` (jobs and how they run), ``tick`` (``parley tick``: every job once, then delivery),
``clock`` (``parley scheduler``: APScheduler plus a delivery loop), and one module per feature with
its jobs and the preparers that render its outbox rows at delivery (``commitments``, ``debriefs``).
"""
