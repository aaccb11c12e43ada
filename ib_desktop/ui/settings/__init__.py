"""The Instellingen page and its tabs: school, support structure, areas, groups and staff, holidays.

``page`` holds the page that builds each tab when it is first shown; every tab lives in its own
module (``school``, ``structure``, ``areas``, ``groups_staff``, ``holidays``).
"""
