"""The demo task-force survey's pages and questions, in English and Spanish (fictional)."""

SERVICE_AREAS = [
    ("health_care", "Health care", "Atención médica"),
    ("human_services", "Human services", "Servicios sociales"),
    ("housing", "Housing", "Vivienda"),
    ("education", "Education", "Educación"),
    ("legal_assistance", "Legal assistance", "Asistencia legal"),
    ("job_training", "Job training or preparation", "Capacitación o preparación laboral"),
    ("interpreting", "Interpreting", "Interpretación"),
    ("esl_classes", "English as a second language classes", "Clases de inglés como segundo idioma"),
    ("voluntary_repatriation", "Voluntary repatriation", "Repatriación voluntaria"),
    ("victim_compensation", "Victim compensation", "Indemnización a víctimas"),
]
SERVICE_COLUMNS = [
    ("provide", "We provide it", "Lo prestamos"),
    ("refer", "We refer elsewhere", "Derivamos a otra entidad"),
    ("not_available", "Not available", "No disponible"),
]
PROGRESS_LABELS = {
    "en": ["No progress", "Little progress", "Some progress", "Good progress", "Major progress"],
    "es": ["Ningún avance", "Poco avance", "Algún avance", "Buen avance", "Gran avance"],
}
REGIONS = ["Capital", "River Valley", "Coastal", "North Hills", "Eastern Plains"]


def _c(items):
    return [(value, {"en": en, "es": es}) for value, en, es in items]


def _t(en, es):
    return {"en": en, "es": es}


PROGRESS_QUESTIONS = [
    dict(
        code="progress_prevention",
        type="likert",
        required=True,
        options={"points": 5, "labels": PROGRESS_LABELS},
        text=_t(
            "Over the past year, how much progress has the state made in preventing trafficking?",
            "Durante el último año, ¿cuánto ha avanzado el estado en la prevención de la trata?",
        ),
    ),
    dict(
        code="progress_protection",
        type="likert",
        required=True,
        options={"points": 5, "labels": PROGRESS_LABELS},
        text=_t(
            "…in protecting and assisting victims?",
            "…en la protección y asistencia a las víctimas?",
        ),
    ),
    dict(
        code="progress_prosecution",
        type="likert",
        required=True,
        options={"points": 5, "labels": PROGRESS_LABELS},
        text=_t("…in prosecuting traffickers?", "…en el enjuiciamiento de los tratantes?"),
    ),
]

PAGES = [
    (
        _t("About your organization", "Sobre su organización"),
        _t(
            "A few facts so we can compare answers from similar organizations.",
            "Algunos datos para comparar respuestas de organizaciones similares.",
        ),
        None,
        [
            dict(
                code="respondent_role",
                type="short_text",
                required=True,
                options={"not_for_coding": True},
                validation={"max_length": 200},
                text=_t("Your role or job title", "Su cargo o función"),
                help=_t("For example: program director", "Por ejemplo: directora de programas"),
            ),
            dict(
                code="staff_count",
                type="number",
                options={"integer": True},
                validation={
                    "min": 0,
                    "max": 100000,
                    "message": _t(
                        "Enter the number of paid staff and volunteers, from 0 to 100,000",
                        "Escriba el número de personal y voluntarios, de 0 a 100.000",
                    ),
                },
                text=_t(
                    "How many paid staff and volunteers work on trafficking cases?",
                    "¿Cuántas personas, entre personal y voluntarios, trabajan en casos de trata?",
                ),
            ),
            dict(
                code="regions",
                type="multiple_choice",
                required=True,
                text=_t("Which regions do you serve?", "¿En qué regiones trabaja?"),
                choices=[(r.lower().replace(" ", "_"), {"en": r, "es": r}) for r in REGIONS]
                + [("statewide", {"en": "Statewide", "es": "Todo el estado"})],
            ),
            dict(
                code="contact_email",
                type="email",
                text=_t(
                    "An e-mail address for follow-up questions",
                    "Un correo electrónico para preguntas de seguimiento",
                ),
                help=_t("Optional. Never published.", "Opcional. Nunca se publica."),
            ),
        ],
    ),
    (
        _t("Services for victims", "Servicios para víctimas"),
        _t(
            "The task force must identify the programs that serve victims across the state.",
            "El grupo de trabajo debe identificar los programas que atienden a víctimas en el estado.",
        ),
        None,
        [
            dict(
                code="services",
                type="matrix",
                required=True,
                text=_t(
                    "For each service, do you provide it, refer people elsewhere, or is it not available?",
                    "Para cada servicio, ¿lo presta, deriva a otra entidad o no está disponible?",
                ),
                rows=_c(SERVICE_AREAS),
                choices=_c(SERVICE_COLUMNS),
            ),
            dict(
                code="served_labor",
                type="number",
                options={"integer": True},
                validation={"min": 0, "max": 10000},
                text=_t(
                    "Last year, how many people did you serve who experienced labor trafficking?",
                    "El año pasado, ¿a cuántas personas víctimas de trata laboral atendió?",
                ),
                help=_t("Enter 0 if none.", "Escriba 0 si no hubo ninguna."),
            ),
            dict(
                code="served_sex",
                type="number",
                options={"integer": True},
                validation={"min": 0, "max": 10000},
                text=_t(
                    "…who experienced sex trafficking?",
                    "…víctimas de trata con fines de explotación sexual?",
                ),
            ),
            dict(
                code="served_minors",
                type="number",
                options={"integer": True},
                validation={"min": 0, "max": 10000},
                text=_t(
                    "Of all the people you served, how many were under 18?",
                    "De todas las personas atendidas, ¿cuántas eran menores de 18 años?",
                ),
            ),
        ],
    ),
    (
        _t("Progress in the past year", "Avances en el último año"),
        _t(
            "The same questions were asked in 2025, so the task force can measure change.",
            "Las mismas preguntas se hicieron en 2025 para poder medir el cambio.",
        ),
        None,
        PROGRESS_QUESTIONS
        + [
            dict(
                code="progress_comment",
                type="long_text",
                text=_t(
                    "Anything you want to add about these ratings?",
                    "¿Algo que quiera añadir sobre estas valoraciones?",
                ),
            )
        ],
    ),
    (
        _t("Working together", "Colaboración"),
        None,
        None,
        [
            dict(
                code="collaborates",
                type="yes_no",
                required=True,
                text=_t(
                    "Did you work on a trafficking case with another agency or organization last year?",
                    "¿Trabajó el año pasado en un caso de trata con otra agencia u organización?",
                ),
            ),
            dict(
                code="collaboration_works",
                type="long_text",
                condition={"rules": [{"question": "collaborates", "op": "equals", "value": "yes"}]},
                text=_t(
                    "What made that collaboration work, or not work?",
                    "¿Qué hizo que esa colaboración funcionara, o no?",
                ),
            ),
        ],
    ),
    (
        _t("Public awareness", "Sensibilización pública"),
        None,
        None,
        [
            dict(
                code="awareness",
                type="multiple_choice",
                options={"other": True},
                text=_t(
                    "Which public awareness approaches did you use last year?",
                    "¿Qué estrategias de sensibilización pública usó el año pasado?",
                ),
                choices=_c(
                    [
                        (
                            "posters",
                            "Posters and hotline cards",
                            "Carteles y tarjetas de la línea de ayuda",
                        ),
                        ("social_media", "Social media", "Redes sociales"),
                        ("radio", "Radio or television", "Radio o televisión"),
                        (
                            "professional_training",
                            "Training for professionals",
                            "Capacitación a profesionales",
                        ),
                        ("schools", "School programs", "Programas escolares"),
                        (
                            "workplaces",
                            "Outreach at workplaces and farms",
                            "Visitas a lugares de trabajo y fincas",
                        ),
                    ]
                ),
            ),
            dict(
                code="awareness_reach",
                type="single_choice",
                options={"display": "dropdown"},
                text=_t(
                    "About how many people did these efforts reach?",
                    "¿A cuántas personas llegaron aproximadamente estas acciones?",
                ),
                choices=_c(
                    [
                        ("under_500", "Fewer than 500", "Menos de 500"),
                        ("500_5000", "500 to 5,000", "De 500 a 5.000"),
                        ("over_5000", "More than 5,000", "Más de 5.000"),
                        ("unknown", "We don't know", "No lo sabemos"),
                    ]
                ),
            ),
        ],
    ),
    (
        _t("Criminal statutes", "Leyes penales"),
        None,
        None,
        [
            dict(
                code="statutes_adequacy",
                type="single_choice",
                required=True,
                text=_t(
                    "Are the state's criminal statutes on trafficking adequate?",
                    "¿Son adecuadas las leyes penales del estado sobre la trata?",
                ),
                choices=_c(
                    [
                        ("adequate", "Adequate", "Adecuadas"),
                        ("partly", "Partly adequate", "Parcialmente adecuadas"),
                        ("inadequate", "Inadequate", "Inadecuadas"),
                        ("unsure", "Don't know", "No lo sé"),
                    ]
                ),
            ),
            dict(
                code="statutes_revisions",
                type="long_text",
                required=True,
                condition={
                    "rules": [
                        {"question": "statutes_adequacy", "op": "equals", "value": "inadequate"}
                    ]
                },
                text=_t(
                    "What revisions would you recommend?",
                    "¿Qué modificaciones recomendaría?",
                ),
            ),
        ],
    ),
    (
        _t("Gaps and recommendations", "Carencias y recomendaciones"),
        None,
        None,
        [
            dict(
                code="gaps",
                type="long_text",
                text=_t(
                    "What are the biggest gaps in services for victims?",
                    "¿Cuáles son las mayores carencias en los servicios para víctimas?",
                ),
            ),
            dict(
                code="barriers",
                type="long_text",
                text=_t(
                    "What gets in the way of identifying victims or prosecuting cases?",
                    "¿Qué dificulta identificar a las víctimas o llevar los casos a juicio?",
                ),
            ),
            dict(
                code="recommendations",
                type="long_text",
                text=_t(
                    "What should the task force recommend to the legislature?",
                    "¿Qué debería recomendar el grupo de trabajo a la legislatura?",
                ),
            ),
        ],
    ),
]

PREVIOUS_PAGES = [
    (
        _t("About your organization", "Sobre su organización"),
        None,
        None,
        [PAGES[0][3][0]],
    ),
    (
        _t("Progress in the past year", "Avances en el último año"),
        None,
        None,
        PROGRESS_QUESTIONS,
    ),
    (
        _t("Gaps", "Carencias"),
        None,
        None,
        [PAGES[6][3][0]],
    ),
]
