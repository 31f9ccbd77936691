from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, pre_save

from openraa.common.loading import is_restoring

# Records that may be made about an adopted child although the child's own record is sealed: money
# the partnership owes or has paid for the child's placement or support (they name the child by
# reference only and are not part of the adoption record). A model may also declare
# `about_sealed_child = True` (the audited records request).
MAY_NAME_A_SEALED_CHILD = {"finance.interagencyfee", "finance.supportfundapplication"}


def _sealed_guarded_models(child_model) -> dict:
    """Every model with a foreign key to the child, except history rows and the declared exceptions:
    {model: [field attnames]}."""
    guarded = {}
    for model in apps.get_models():
        if hasattr(model, "instance_type") or getattr(model, "about_sealed_child", False):
            continue  # simple-history's rows follow a save that was already allowed
        if model._meta.label_lower in MAY_NAME_A_SEALED_CHILD or model is child_model:
            continue
        fields = [f.attname for f in model._meta.fields if f.is_relation and f.related_model is child_model]
        if fields:
            guarded[model] = fields
    return guarded


class ChildrenConfig(AppConfig):
    name = "openraa.children"
    verbose_name = "Children"

    def ready(self):
        from openraa.children.models import Child, refuse_if_sealed

        guarded = _sealed_guarded_models(Child)

        def no_new_record_about_a_sealed_child(sender, instance, raw=False, **kwargs):
            """A journey entry, plan, agenda item, interest, visit, support case... about a sealed
            child is refused at the save, whatever page, API call or import made it."""
            if raw or sender not in guarded or not instance._state.adding:
                return
            refuse_if_sealed([getattr(instance, attname) for attname in guarded[sender]], "given new records")

        def no_link_to_a_sealed_child(sender, instance, action, model, pk_set, **kwargs):
            """Allocations, excluded areas, panel agenda items: adding or removing a link to a sealed
            child changes its record."""
            if action not in ("pre_add", "pre_remove", "pre_clear") or is_restoring():
                return  # a restore writes back the links the backup kept (loaddata sets m2m without `raw`)
            if isinstance(instance, Child):
                refuse_if_sealed([instance.pk])
            elif model is Child:
                if pk_set is None:  # clear(): every child linked now
                    child_field = next(f for f in sender._meta.fields if f.related_model is Child)
                    own_field = next(f for f in sender._meta.fields if f.related_model is type(instance))
                    pk_set = sender.objects.filter(**{own_field.attname: instance.pk}).values_list(
                        child_field.attname, flat=True
                    )
                refuse_if_sealed(list(pk_set))

        pre_save.connect(no_new_record_about_a_sealed_child, weak=False, dispatch_uid="openraa.sealed.pre_save")
        m2m_changed.connect(no_link_to_a_sealed_child, weak=False, dispatch_uid="openraa.sealed.m2m")
