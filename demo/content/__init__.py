"""What the demo's people write: livrets, documents, grids. Data only; ``demo.stories``
and the story modules write it through the services."""
