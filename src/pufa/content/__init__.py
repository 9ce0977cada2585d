"""Content: the only code that reads docs/. See loader.py for the layout it expects."""

from .loader import kind_of, load
from ..problems import ERROR, WARNING, Problem
from .records import (AUDIENCES, SHANGHAI, AnnouncedRange, Content, Event, LawFacts, LawTopic, Lecture, Location,
                      Photo, Place, Record, Revision, Rule)

__all__ = ["AUDIENCES", "SHANGHAI", "ERROR", "WARNING", "AnnouncedRange", "Content", "Event", "LawFacts", "LawTopic",
           "Lecture", "Location", "Photo", "Place", "Problem", "Record", "Revision", "Rule", "kind_of", "load"]
