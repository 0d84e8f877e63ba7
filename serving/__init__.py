"""The serving runtime between the graph (``graph``, ``viz``) and its front ends (``api``,
``cli``): one :class:`~serving.context.StoreContext` per served store, published through
:mod:`serving.publish`, the query workers, rebuild watching and edits."""
