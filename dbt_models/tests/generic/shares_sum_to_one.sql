{#- Shares within each group add up to 1 (within floating-point tolerance). -#}
{% test shares_sum_to_one(model, column_name, group_by=[]) %}
select
    {{ (group_by | join(', ') ~ ',') if group_by }}
    sum({{ column_name }}) as total_share
from {{ model }}
{{ ('group by ' ~ (group_by | join(', '))) if group_by }}
having abs(sum({{ column_name }}) - 1) > 1e-9
{% endtest %}
