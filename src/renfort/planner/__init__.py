"""Renfort's planner: who goes on which mission, and when. Pure Python, no Django.

``renfort.planner.solve.solve`` plans a ``renfort-planning/1`` document and returns a
``renfort-plan/1`` one; ``renfort.planner.check.check_plan`` checks any plan against every
hard constraint.
"""
