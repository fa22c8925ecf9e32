"""Building model instances from database rows without Model.__init__.

A film page builds about 130 model instances and a list page up to 75, and Django builds each through
Model.__init__: a pre_init and a post_init signal, a setattr per field, and for every foreign key's
column a descriptor's __set__ that checks a cache a new instance cannot have. `Model.from_db()` is
Django's documented hook for how rows become instances ("Customizing model loading"); LeanLoading
overrides it to put a full row straight into the instance's __dict__, which is what __init__ ends up
doing for such a row. That took 7% off the instructions the film page and the API's film detail cost
(docs/PERFORMANCE.md).

It takes the short way only when that is exactly equivalent, and otherwise hands the row to Django:
- the row holds every concrete field (no only() or defer(): those need Django's DEFERRED handling);
- every field's attribute is one of Django's own descriptors that store the value in __dict__ unchanged
  (a model that puts a property or a custom descriptor on a field's name is built the usual way);
- nothing listens to pre_init or post_init (an ImageField, say, would need post_init to run).
"""

import inspect
from functools import cache

from django.db import models
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Django's descriptors for a field's attribute: a value set on a new instance lands in its __dict__ as is.
# (ForeignKeyDeferredAttribute, the foreign key's "<name>_id", subclasses DeferredAttribute; its __set__
# only drops a cached related object, which a new instance does not have.)
_PLAIN_DESCRIPTORS = (DeferredAttribute,)


@cache
def _attnames(model):
    """The attribute names of `model`'s concrete fields in row order, or None if one of them is not plain."""
    names = tuple(field.attname for field in model._meta.concrete_fields)
    plain = all(isinstance(inspect.getattr_static(model, name, None), _PLAIN_DESCRIPTORS) for name in names)
    return names if plain else None


class LeanLoading(models.Model):
    """Abstract base for models whose instances are built from full rows without Model.__init__."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        names = _attnames(cls)
        if names is None or len(values) != len(names) or pre_init.receivers or post_init.receivers:
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        new.__dict__.update(zip(names, values, strict=True), _state=state)
        return new
