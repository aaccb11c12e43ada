"""The pupil list, the IB-er's home screen: every pupil, where they stand, what needs attention.

``model`` holds the table model (one row per pupil), ``proxy`` the fast filter and sort,
``views`` the quick filter, the table and the background schedule job, ``page`` the page itself.
"""
