from django.contrib import admin

from .models import Bureau, Industry, Prefecture, Qualification, Specialty


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code"]


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "bureau"]
    list_filter = ["bureau"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "sme_sector"]
    list_filter = ["sme_sector"]
    search_fields = ["name", "code"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "keywords", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "keywords"]
