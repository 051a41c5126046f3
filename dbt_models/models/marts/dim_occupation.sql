{#- One row per occupation code in the staged personas, with its SOC major group from the seed that is
    the one home of that mapping; an occupation the seed does not list stays, with mapped = false. -#}

with occupations as (

    select
        occupation,
        count(*) as persona_count
    from {{ ref('stg_nemotron__personas') }}
    group by occupation

)

select
    occupations.occupation,
    groups.soc_major_group,
    groups.occupation_group,
    groups.occupation is not null as mapped,
    occupations.persona_count
from occupations
left join {{ ref('ref_occupation_groups') }} as groups
    on occupations.occupation = groups.occupation
