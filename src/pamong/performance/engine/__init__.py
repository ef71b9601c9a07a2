"""Pure computations of the performance module: no Django, no database (like pamong.engine)."""
