"""Pamong: civil-service management with performance-based pay."""
