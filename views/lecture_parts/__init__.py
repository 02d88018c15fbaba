"""The Lecture page's parts: choosing a lecture, its overview, your own lecture's editor,
and lecture files."""
