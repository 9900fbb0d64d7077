"""Presenting to a room: the modules as Voila reveal slides with every asset served locally, the slide
template, and offline handouts. Uses core and teaching."""
