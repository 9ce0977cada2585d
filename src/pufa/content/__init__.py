"""Content: the only code that reads content files. See loader.py for the layout it expects."""

from ..problems import ERROR, WARNING, Problem
from .loader import Loaded, Source, kind_of, load
from .records import (SHANGHAI, AnnouncedRange, Content, Event, LawFacts, LawTopic, Lecture, Location, Photo, Place,
                      Record, Revision, Rule)

__all__ = ["SHANGHAI", "ERROR", "WARNING", "AnnouncedRange", "Content", "Event", "LawFacts", "LawTopic", "Lecture",
           "Loaded", "Location", "Photo", "Place", "Problem", "Record", "Revision", "Rule", "Source", "kind_of", "load"]
