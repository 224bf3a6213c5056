## Aquí Estamos — textos de la interfaz en español.
## Español latinoamericano como se habla en las comunidades migrantes de EE. UU.:
## tú, ustedes; bóveda, frase de contraseña, custodio/a, exigencia. Ver GLOSSARY.md.
## Cada id debe existir también en ../en-US/aqui.ftl, con las mismas variables.

-app = Aquí Estamos

## Errores: qué pasó (err-*) y qué hacer (rec-*).

err-no-vault = Todavía no hay una bóveda en { $dir }.
rec-no-vault = Crea una con “aqui init”, o prueba la sección local de ejemplo con “aqui demo”. Para usar otra carpeta, agrega --vault CARPETA.
err-vault-exists = Ya hay una bóveda en { $dir }.
rec-vault-exists = No se cambió nada. Para empezar otra bóveda, elige otra carpeta con --vault CARPETA.
err-wrong-passphrase = Esa frase de contraseña no abre esta bóveda.
rec-wrong-passphrase = Revisa cómo la escribiste y el idioma del teclado, y vuelve a intentarlo. No se cambió nada en la bóveda.
err-vault-in-use = La bóveda está abierta en otra ventana o programa.
rec-vault-in-use = Cierra { -app } (o el otro comando “aqui”) y vuelve a intentarlo.
err-vault-damaged = Los archivos de la bóveda están dañados y no se pueden leer ({ $reason }).
rec-vault-damaged = No borres nada. Haz una copia de la carpeta de la bóveda y luego restáurala desde una copia de seguridad o pide una entrega a otra persona custodia.
err-vault-too-new = Esta bóveda se hizo con una versión más nueva de { -app } (formato { $format }).
rec-vault-too-new = Actualiza { -app } en esta computadora y vuelve a abrir la bóveda.
err-not-found = No hay ningún registro { $id } en esta bóveda.
rec-not-found = Busca el id correcto con “aqui search” o “aqui list”.
err-disk-full = El disco está lleno, así que no se guardó nada.
rec-disk-full = Libera espacio en esta computadora y vuelve a intentarlo. Lo que ya estaba guardado está a salvo.
err-io = No se pudo leer o escribir la bóveda ({ $reason }).
rec-io = Revisa que la carpeta de la bóveda exista y que tengas permiso para escribir en ella, y vuelve a intentarlo.
err-invalid-field = { $field }: este valor no se puede guardar.
err-internal = Algo falló dentro de { -app }.
rec-internal = Este comando no guardó nada. Por favor, avísales a quienes mantienen { -app }.

## Por qué los archivos de la bóveda están dañados: la razón dentro de err-vault-damaged.

damage-header = el archivo de cierre de la bóveda (key.json) está dañado
damage-unknown-format = el archivo de la llave indica un formato desconocido, el { $format }
damage-key-params = la configuración guardada en el archivo de la llave está fuera de rango
damage-data-key = el archivo de cierre de la bóveda está dañado
damage-store = no se pueden leer los archivos de la base de datos
damage-encode = no se pudieron preparar los datos para guardarlos
damage-record = no se pudo leer un registro, así que no se cambió nada

## Qué falló con un archivo: la razón dentro de err-io.

io-permission = no tienes permiso
io-not-found = falta un archivo o una carpeta
io-read-only = el disco es de solo lectura
io-os = error del sistema { $code }
io-other = un error inesperado

## Problemas con un campo (se muestran después de err-invalid-field).

problem-required = Este dato es obligatorio.
problem-too-long = Es demasiado largo: como máximo { $max } caracteres.
problem-control-chars = Tiene caracteres ocultos, muchas veces por pegar el texto. Escríbelo a mano.
problem-bad-date = Esta fecha no está completa: escribe el día, el mes y el año (en la línea de comandos como AÑO-MES-DÍA, por ejemplo 2026-04-15).
problem-bad-number = Escribe un número entero de { $min } a { $max }.
problem-bad-phone = Escribe un teléfono solo con números, espacios y + - ( ).
problem-bad-email = Escribe un correo como nombre@ejemplo.org.
problem-bad-signal = Escribe un número o nombre de usuario de Signal, como +1 555 0100 o nombre.42.
problem-bad-choice = Elige una de estas opciones: { $allowed }.
problem-bad-bool = Escribe sí o no.
problem-bad-id = Esto no es un id de registro. Los ids se ven así: per_3f9a0c1e7b2d4a8e9f10.
problem-missing = Ese registro no existe en esta bóveda.
problem-wrong-kind = Aquí tiene que ir un registro de tipo { $expected }.
problem-unknown-field = Ese campo no existe para este tipo de registro.
problem-too-many = Son demasiados: como máximo { $max }.

## La línea de comandos.

rec-usage = Usa “aqui help” para ver lo que puedes hacer.
err-no-command = Di qué quieres hacer, por ejemplo “aqui list person”.
err-unknown-command = “{ $command }” no es un comando de aqui.
err-missing-arg = Falta: { $what }.
err-unknown-kind = “{ $kind }” no es un tipo de registro. Usa org, person, demand, campaign, pledge o note.
err-bad-id = “{ $id }” no es un id de registro.
err-unexpected-arg = “{ $arg }” no va aquí.
err-bad-lang = { -app } no habla “{ $lang }”. Usa en o es.
err-missing-value = La opción --{ $option } necesita un valor.
arg-kind = el tipo de registro (org, person, demand, campaign, pledge, note)
arg-id = el id del registro
arg-query = qué buscar

err-pass-file = No se pudo leer el archivo de la frase de contraseña { $path }.
rec-pass-file = Revisa AQUI_PASSPHRASE_FILE: debe indicar un archivo de texto cuya primera línea sea la frase de contraseña.
err-no-passphrase = No se dio ninguna frase de contraseña y no hay una terminal para pedirla.
rec-no-passphrase = Usa el comando en una terminal, o pon en AQUI_PASSPHRASE_FILE un archivo con la frase de contraseña.
err-pass-empty = La frase de contraseña está vacía.
rec-pass-empty = Escribe la frase de contraseña y presiona Enter.
err-pass-mismatch = Las dos frases de contraseña no son iguales.
rec-pass-mismatch = No se cambió nada. Vuelve a intentarlo y escribe la misma frase dos veces.
err-wipe-needs-yes = El borrado de emergencia destruye esta bóveda para siempre, por eso necesita --yes.
rec-wipe-needs-yes = Si no tienes ninguna duda, usa “aqui wipe --yes”.
err-demo-not-empty = Esta bóveda ya tiene registros; la sección local de ejemplo solo va en una bóveda vacía.
rec-demo-not-empty = Pruébala en otra carpeta: aqui demo --vault CARPETA.
err-no-default-dir = Esta computadora no tiene una carpeta para datos de aplicaciones.
rec-no-default-dir = Elige dónde va la bóveda con --vault CARPETA o AQUI_VAULT.

prompt-passphrase = Frase de contraseña:
prompt-new-passphrase = Nueva frase de contraseña (unas palabras que vayas a recordar):
prompt-repeat-passphrase = Escríbela otra vez:
warn-short-passphrase = Consejo: una frase más larga (cuatro o cinco palabras) es mucho más difícil de adivinar. Si se olvida la frase de contraseña, no hay forma de recuperarla.
warn-damaged = Atención: { $count ->
    [one] un registro está dañado y no se pudo leer
   *[other] { $count } registros están dañados y no se pudieron leer
  } ({ $ids }). Se muestra el resto de la bóveda.

vault-created = Bóveda creada en { $dir }. Guarda bien la frase de contraseña: si se olvida, nadie puede recuperar la bóveda.
demo-filled = La sección local de ejemplo ({ $count ->
    [one] un registro
   *[other] { $count } registros
  }, todos inventados) está en la bóveda de { $dir }.
saved = Se guardó { $id }.
deleted = Se borró { $id }.
passphrase-changed = Se cambió la frase de contraseña. De ahora en adelante usa la nueva.
wiped = Se destruyó la bóveda de { $dir }. Sus datos ya no se pueden descifrar.

help-main =
    { -app }: el trabajo en coalición de tu sección local, cifrado en esta computadora.

    Uso: aqui [--vault CARPETA] [--lang en|es] [--json] COMANDO

      init                      crear una bóveda nueva
      demo                      crear una bóveda con una sección local de ejemplo (inventada)
      add TIPO --CAMPO VALOR…   agregar un registro (org, person, demand, campaign, pledge, note)
      list TIPO                 ver los registros de un tipo
      show ID                   ver todos los campos de un registro
      edit ID --CAMPO VALOR…    cambiar campos (--remove-tag T quita de una lista)
      delete ID                 borrar un registro
      search PALABRAS           buscar en nombres, alias, organizaciones, etiquetas, títulos y notas
      passwd                    cambiar la frase de contraseña
      wipe --yes                borrado de emergencia: destruir esta bóveda para siempre
      help [COMANDO]            esta ayuda, o la de un comando (también aqui COMANDO --help)
      consent ID [--contact yes|no] [--share yes|no] [--how H] [--date D] [--lang en|es] [--recorder ID_PERSONA]
                                anotar el consentimiento de una persona (H: in-person, paper, phone, signal, form, other)
      consent-form [--out ARCHIVO.html] [--lang en|es]
                                el formulario de consentimiento para imprimir (en los dos idiomas o en el elegido)
      report (--period 2026-Q4 | --period 2026 | --from D --to D) [--out ARCHIVO.html]
                                un boletín o informe anual que no nombra a nadie
      retention [set REGLA EDAD|off]  reglas de conservación (note-body, note-attendees, inactive-person, log; EDAD 90d, 6m, 2y)
      purge [--dry-run]         borrar lo que vence según las reglas (primero muestra cuánto)
      hold on|off [--reason T]  pausar todo borrado (retención legal)

    Entregar datos a otras personas custodias (archivos cifrados con age y firmados por esta bóveda):
      identity [--card] [--name N]         tu llave de custodio/a y su huella (--card: la tarjeta para compartir)
      steward add --name N --card TARJETA  agregar a una persona custodia (o --key age1… si usa age sin la app;
                                           --replace: llaves nuevas para un nombre que ya está)
      steward list | verify NOMBRE [--fingerprint H] | remove NOMBRE | revoke NOMBRE [--reason TEXTO]
      export --to CUSTODIO… (--all | --campaign ID | --id ID… | --search PALABRAS)
             --out ARCHIVO [--include-sensitive]    (o --passphrase en vez de --to)
      import ARCHIVO [--dry-run] [--accept-warnings]
                                           ver qué cambia y luego unir (--dry-run: solo ver)
      conflicts                            registros editados aquí y en otro lado al mismo tiempo
      resolve ID --take mine|theirs|CAMPO=mine|theirs…
      backup --out ARCHIVO [--passphrase] [--to CUSTODIO…]
                                           toda la bóveda en un solo archivo cifrado
      restore ARCHIVO --vault CARPETA_NUEVA [--from BÓVEDA]
      log [--steward NOMBRE]               cada exportación, importación, copia de seguridad, restauración y CSV (o solo con NOMBRE)

    Campos:
      org       --name N --kind K --immigrant-led --region R --relationship R --language L --contact ID --private
      person    --name N --alias A --phone P --email E --signal S --org ID[:rol] --lang en|es
                --tag T --sensitive --no-share --consent-contact yes|no --last-contact FECHA --next-follow-up FECHA
      demand    --title T --target T --jurisdiction J --status S --partner ID --lead ID --campaign ID
      campaign  --name N --description D --partner ID
      pledge    --title T --goal N --deadline FECHA --signer ID --paper-count N --campaign ID
      note      --title T --body B --date FECHA --kind K --attendee ID --org ID --campaign ID
                --follow-up "TAREA|FECHA|ID_PERSONA" --done N --headcount N

    Las fechas se escriben AÑO-MES-DÍA (2026-04-15).
    La tarea de un seguimiento puede llevar |, si das las cuatro partes: "TAREA|FECHA|ID_PERSONA|done" (cualquiera puede ir vacía).
    La frase de contraseña se lee de AQUI_PASSPHRASE_FILE, si no de AQUI_PASSPHRASE, si no se pregunta.
    La frase de un archivo (export --passphrase, import, restore) se lee de AQUI_EXPORT_PASSPHRASE_FILE, si no se pregunta.
    La carpeta de la bóveda es --vault, si no AQUI_VAULT, si no la carpeta de datos de esta computadora.
    Ayuda de un solo comando: aqui help COMANDO (o aqui COMANDO --help).

## Palabras de la salida.

yes = sí
no = no
deleted-ref = (borrado: { $id })
immigrant-led = de liderazgo inmigrante
sensitive-mark = confidencial
partners-count = { $count ->
    [one] una organización aliada
   *[other] { $count } organizaciones aliadas
  }
pledge-progress = { $progress } de { $goal } · fecha límite { $deadline }
list-empty = Todavía no hay registros de tipo { $kind }.
search-empty = No se encontró nada.
days-left = { $days ->
    [0] la fecha límite es hoy
    [one] queda un día
   *[other] quedan { $days } días
  }
due-on = vence el { $date }
date-format = { $day } { $month } { $year }

month-1 = ene
month-2 = feb
month-3 = mar
month-4 = abr
month-5 = may
month-6 = jun
month-7 = jul
month-8 = ago
month-9 = sep
month-10 = oct
month-11 = nov
month-12 = dic

lang-en = inglés
lang-es = español

## Tipos de registro.

kind-org = organización
kind-person = persona
kind-demand = exigencia
kind-campaign = campaña
kind-pledge = campaña de compromisos
kind-note = nota

org-kind-community = grupo comunitario o liderado por inmigrantes
org-kind-worker-center = centro de trabajadores
org-kind-union = sindicato
org-kind-faith = grupo de fe
org-kind-student = grupo estudiantil
org-kind-legal-aid = ayuda legal
org-kind-elected-office = oficina de un cargo electo
org-kind-agency = agencia
org-kind-other = otro

relationship-partner = organización aliada
relationship-prospect = posible aliada
relationship-target = quién decide
relationship-other = otra

status-drafting = en preparación
status-active = activa
status-won = ganada
status-lost = perdida
status-shelved = en pausa

note-kind-meeting = reunión
note-kind-action = acción
note-kind-call = llamada
note-kind-training = capacitación
note-kind-other = otra

## Nombres de campos.

field-name = Nombre
field-kind = Tipo
field-org-kind = Tipo de organización
field-note-kind = Tipo de nota
field-immigrant-led = Liderada por inmigrantes
field-region = Región
field-relationship = Relación
field-language = Idiomas
field-remove-language = Idioma a quitar
field-contact = Nuestro contacto
field-alias = Alias o apodo
field-phone = Teléfono
field-email = Correo
field-signal = Signal
field-lang = Idioma preferido
field-org = Organizaciones
field-remove-org = Organización a quitar
field-role = Rol
field-tag = Etiquetas
field-remove-tag = Etiqueta a quitar
field-sensitive = Confidencial
field-share = Consentimiento para compartir
field-consent-share = Consentimiento para compartir con otras personas custodias
field-no-share = No compartir
field-consent-contact = Consentimiento para contactar
field-last-contact = Último contacto
field-next-follow-up = Próximo seguimiento
field-title = Título
field-target = Quién decide
field-jurisdiction = Jurisdicción
field-status = Estado
field-history = Historial del estado
field-partner = Organizaciones aliadas
field-remove-partner = Organización aliada a quitar
field-lead = Organización que lidera
field-campaign = Campaña
field-description = Descripción
field-goal = Meta
field-progress = Firmas hasta ahora
field-deadline = Fecha límite
field-signer = Firmantes
field-remove-signer = Firmante a quitar
field-paper-count = Firmas en papel
field-body = Texto
field-date = Fecha
field-attendee = Asistentes
field-remove-attendee = Asistente a quitar
field-follow-up = Seguimientos
field-done = Seguimiento hecho
field-due = Vence
field-who = Quién
field-demands = Exigencias
field-pledges = Campañas de compromisos
field-notes = Notas

## La app de escritorio: fuerza de la frase de contraseña y borrado de emergencia.

strength-too-short = Muy corta: usa al menos { $min } caracteres. Lo mejor son unas palabras que vayas a recordar.
strength-weak = Débil: agrega unas palabras más.
strength-fair = Aceptable. Con una o dos palabras más quedaría fuerte.
strength-strong = Fuerte.
wipe-word = DESTRUIR
err-locked = La bóveda está bloqueada.
rec-locked = Desbloquéala con tu frase de contraseña para seguir.
err-wipe-word = La palabra que escribiste no coincide, así que no se destruyó nada.
rec-wipe-word = Escribe la palabra tal como aparece para confirmar el borrado de emergencia.
err-pass-short = Esa frase de contraseña es demasiado corta para proteger esta bóveda.
rec-pass-short = Usa al menos 8 caracteres; lo mejor son unas palabras que vayas a recordar.
err-auto-lock-range = El bloqueo automático debe ser de 1 a 240 minutos.
rec-auto-lock-range = Elige un número de minutos en ese rango y vuelve a guardar.

## Desktop app screens

# El texto propio de la app de escritorio (ui/). Aquí están las palabras de
# cada pantalla; los nombres de campos, tipos y opciones vienen de arriba.

ui-app-name = { -app }
ui-skip = Ir al contenido principal
ui-lang-group = Idioma
ui-lang-en = English
ui-lang-es = Español
ui-error-unknown = Algo salió mal y no se cambió nada. Inténtalo otra vez; si sigue pasando, bloquea la app y vuelve a abrirla.

# Inicio: todavía no hay bóveda.

ui-start-heading = Te damos la bienvenida a { -app }
ui-start-intro = Guarda el trabajo en coalición de tu sección local (organizaciones aliadas, personas, exigencias, campañas de compromisos y notas de reuniones) cifrado en esta computadora, listo aunque no haya internet.
ui-create-heading = Crea tu bóveda
ui-create-explain = La bóveda es donde se guarda todo, cerrada con una frase de contraseña. Elige unas palabras que vayas a recordar, como una oración corta.
ui-passphrase = Frase de contraseña
ui-passphrase-repeat = Escribe la frase de contraseña otra vez
ui-forgot-warning = Si se olvida la frase de contraseña, nadie podrá volver a abrir la bóveda: ni tú, ni otra persona organizadora, ni quienes hacen { -app }. No hay manera de recuperarla. Anótala y guárdala en un lugar seguro.
ui-create-button = Crear la bóveda
ui-creating = Creando la bóveda… esto tarda unos segundos.
ui-vault-created = Tu bóveda está lista. Todo lo que agregues se queda cifrado en esta computadora.
ui-demo-heading = Prueba la sección de ejemplo (ficticia)
ui-demo-explain = Una sección inventada para conocer la app, en una bóveda aparte que nunca se mezcla con los datos reales. No te pide ninguna frase de contraseña: todo lo que tiene es ficticio, así que su frase es siempre “sección de ejemplo”.
ui-demo-button = Abrir la sección de ejemplo
ui-creating-demo = Preparando la sección de ejemplo… esto tarda unos segundos.
ui-demo-opened = Esta es la sección de ejemplo. Todas las personas y todo lo que hay aquí son ficticios.

# Desbloquear: la bóveda existe y está bloqueada.

ui-unlock-heading = Desbloquea tu bóveda
ui-unlock-explain = Escribe tu frase de contraseña para abrir los registros de tu sección local.
ui-unlock-button = Desbloquear
ui-unlock-demo-button = Abrir la sección de ejemplo
ui-opening = Abriendo la bóveda… esto tarda unos segundos.
ui-locked = La bóveda está bloqueada. Sin la frase de contraseña no se puede leer nada.
ui-locked-idle = La bóveda se bloqueó sola porque nadie la usó por un rato. Escribe tu frase de contraseña para seguir.

# Encabezado y menú.

ui-demo-badge = Sección de ejemplo: ficticia
ui-search-label = Buscar
ui-search-placeholder = Nombres, etiquetas, notas…
ui-search-button = Buscar
ui-meeting-mode = Modo reunión
ui-meeting-mode-explain = Oculta teléfonos, Signal, correos y personas marcadas como confidenciales, para una pantalla compartida o un proyector.
ui-meeting-on-badge = Modo reunión activado
ui-meeting-on = El modo reunión está activado: los teléfonos, Signal, correos y las personas confidenciales están ocultos.
ui-meeting-off = El modo reunión está desactivado: los datos de contacto se ven otra vez.
ui-lock = Bloquear
ui-lock-explain = Bloquea la bóveda ahora. Para volver a abrirla vas a necesitar la frase de contraseña.
ui-nav-label = Menú
ui-nav-home = Inicio
ui-nav-org = Organizaciones
ui-nav-person = Personas
ui-nav-demand = Exigencias
ui-nav-campaign = Campañas
ui-nav-pledge = Campañas de compromisos
ui-nav-note = Notas
ui-nav-settings = Configuración
ui-mask = •••
ui-masked = (oculto en modo reunión)

# Inicio de la bóveda.

ui-home-heading = Lo que viene
ui-followups-heading = Seguimientos que vencen en las próximas dos semanas
ui-followups-empty = No hay seguimientos que venzan en las próximas dos semanas.
ui-overdue = Vencido
ui-drives-heading = Campañas de compromisos en marcha
ui-drives-empty = Ahora no hay ninguna campaña de compromisos en marcha.

# Listas y búsqueda.

ui-add-org = Agregar una organización
ui-add-person = Agregar una persona
ui-add-demand = Agregar una exigencia
ui-add-campaign = Agregar una campaña
ui-add-pledge = Agregar una campaña de compromisos
ui-add-note = Agregar una nota
ui-empty-org = Todavía no hay organizaciones. Agrega los grupos con los que trabajan.
ui-empty-person = Todavía no hay personas. Basta con un nombre o un apodo.
ui-empty-demand = Todavía no hay exigencias.
ui-empty-campaign = Todavía no hay campañas.
ui-empty-pledge = Todavía no hay campañas de compromisos.
ui-empty-note = Todavía no hay notas.
ui-results-heading = Resultados de la búsqueda
ui-results-for = Buscaste:

# Un registro.

ui-back = ← Volver
ui-edit = Editar
ui-delete = Borrar
ui-delete-question = ¿Borrar este registro para siempre? No se puede deshacer.
ui-delete-confirm = Sí, borrarlo
ui-delete-cancel = No, conservarlo
ui-deleted = Se borró el registro.

# Agregar y editar.

ui-edit-heading = Editar:
ui-required = (obligatorio)
ui-required-note = Hay que llenar los campos marcados (obligatorio). Lo demás puede esperar.
ui-none-option = — ninguno —
ui-links-empty = Todavía no hay nada que elegir aquí.
ui-texts-hint = Si son varios, sepáralos con comas.
ui-task = Tarea
ui-done = Hecho
ui-add-follow-up = Agregar un seguimiento
ui-remove-follow-up = Quitar este seguimiento
ui-save = Guardar
ui-cancel = Cancelar
ui-saved = Guardado.

# Configuración.

ui-settings-heading = Configuración
ui-auto-lock-heading = Bloqueo automático
ui-auto-lock-explain = La bóveda se bloquea sola después de estos minutos sin uso, para que una computadora que quedó abierta no deje los datos a la vista. Para cambiarlo, escribe tu frase de contraseña.
ui-auto-lock-minutes = Minutos sin uso (de 1 a 240)
ui-auto-lock-save = Guardar el bloqueo automático
ui-auto-lock-saved = Se cambió el bloqueo automático.
ui-auto-lock-range = Escribe un número entero de minutos, de 1 a 240.
ui-change-pass-heading = Cambiar la frase de contraseña
ui-change-pass-explain = Tus registros se quedan igual; solo cambia la frase de contraseña que los abre.
ui-current-pass = Frase de contraseña actual
ui-new-pass = Frase de contraseña nueva
ui-new-pass-repeat = Escribe la frase de contraseña nueva otra vez
ui-change-pass-button = Cambiar la frase de contraseña
ui-wipe-heading = Borrado de emergencia
ui-wipe-explain = El borrado de emergencia destruye la llave de esta bóveda, así que nadie podrá volver a leer sus registros, ni siquiera con la frase de contraseña. Lo que no se haya entregado a otra persona custodia se pierde para siempre.
ui-wipe-when = Úsalo solo en una emergencia, por ejemplo si están por llevarse esta computadora. Vas a tener 10 segundos para cancelar.
ui-wipe-type = Para confirmar, escribe esta palabra:
ui-wipe-start = Empezar el borrado de emergencia
ui-wipe-started = El borrado de emergencia empezó. Presiona Cancelar (o Escape) para detenerlo.
ui-wipe-countdown = La bóveda se va a destruir en { $count ->
    [one] un segundo.
   *[other] { $count } segundos.
  }
ui-wipe-cancel = Cancelar: no borrar la bóveda
ui-wipe-cancelled = Se canceló el borrado de emergencia. No se destruyó nada.
ui-wipe-wrong-word = Escribe la palabra tal como aparece para empezar el borrado de emergencia.
ui-wiped = La bóveda fue destruida. Ya nadie puede leer sus registros.

## Más mensajes del núcleo.

err-app-start = { -app } no pudo abrirse.
err-detail = Detalle técnico para quienes mantienen { -app } (en inglés): { $detail }
deadline-passed = ya pasó la fecha límite
problem-bad-char = No puede llevar “{ $char }”.
problem-in-use = Otro registro ya tiene este id.
ui-deleted-record = registro borrado

## Entrega entre custodios: exportar, importar, conflictos, registro, copia de seguridad.

err-bad-key = Eso no es una llave de custodio/a.
rec-bad-key = Pídele su tarjeta a la persona custodia y pégala completa, sin nada antes ni después.
err-bad-card = Eso no es una tarjeta de custodio/a de { -app }.
rec-bad-card = Pídele de nuevo su tarjeta a la persona custodia (“aqui identity --card”, o Entrega → Mi tarjeta de custodio/a en la app) y cópiala completa.
err-bad-steward-name = El nombre de una persona custodia debe tener de 1 a 100 caracteres, en una sola línea, y no puede parecer una llave.
rec-bad-steward-name = Usa el nombre con el que conoces a esa persona, por ejemplo “Ana (Riverbend)”.
err-no-steward = No hay ninguna persona custodia llamada “{ $name }” en esta bóveda.
rec-no-steward = Mira tus personas custodias con “aqui steward list”, o agrega una con “aqui steward add”.
err-fingerprint-mismatch = La huella que escribiste no coincide con las llaves de esta persona custodia.
rec-fingerprint-mismatch = No le mandes nada todavía. Pídele su tarjeta otra vez, en persona, y comparen la huella de nuevo.
err-no-recipients = No elegiste a ninguna persona custodia para recibir el archivo.
rec-no-recipients = Elige al menos una persona custodia, o cifra el archivo con una frase de contraseña.
err-no-file = No se puede abrir el archivo { $path }.
rec-no-file = No se cambió nada. Revisa el nombre y la carpeta del archivo, y que la memoria USB o el disco sigan conectados.
err-not-age = Este archivo no es una entrega de { -app }.
rec-not-age = No se cambió nada. Pídele a quien lo mandó que lo exporte de nuevo.
err-not-for-you = Este archivo no fue cifrado para esta bóveda.
rec-not-for-you = No se cambió nada. Dale tu tarjeta de custodio/a a quien lo mandó y pídele que lo exporte otra vez para ti.
err-needs-passphrase = Este archivo está protegido con una frase de contraseña.
rec-needs-passphrase = No se cambió nada todavía. Escribe la frase del archivo (la que te dio quien lo mandó, no la de tu bóveda).
err-export-wrong-passphrase = Esa frase de contraseña no abre este archivo.
rec-export-wrong-passphrase = No se cambió nada. Confirma la frase con la persona que hizo el archivo.
err-too-much-work = Este archivo pide más memoria para abrirse de la que { -app } permite.
rec-too-much-work = No se cambió nada. Pídele a quien lo mandó que lo exporte de nuevo desde { -app }.
err-truncated = El archivo está incompleto: se cortó al copiarlo o descargarlo.
rec-truncated = No se cambió nada. Vuelve a copiar el archivo desde donde vino.
err-altered = El archivo está dañado, incompleto o fue alterado después de hacerse, así que no se puede confiar en él.
rec-altered = No se cambió nada. Vuelve a copiarlo desde donde vino; si eso no funciona, pídele una copia nueva a quien lo mandó y revisa cómo te llegó.
err-bundle-too-new = Este archivo lo hizo una versión más nueva de { -app } (formato { $version }).
rec-bundle-too-new = No se cambió nada. Actualiza { -app } en esta computadora y vuelve a importar el archivo.
err-bad-bundle = El contenido del archivo no es válido (línea { $line }): { $problem }
rec-bad-bundle = No se cambió nada. Pídele a quien lo mandó que lo exporte de nuevo desde { -app }.
problem-bundle-syntax = el texto no se puede leer
problem-bundle-no-header = falta la descripción del archivo o está mal
problem-bundle-line-too-long = una entrada es demasiado larga
problem-bundle-count-mismatch = el número de registros no coincide con lo que dice el archivo
problem-bundle-after-end = hay algo de más después del final
problem-bundle-bad-clock = la información de versión de un registro está mal
problem-bundle-wrong-kind = un registro no es del tipo que dice su id
problem-bundle-invalid = { $detail }
err-duplicate-id = El archivo trae dos veces el registro { $id }.
rec-duplicate-id = No se cambió nada. Pídele a quien lo mandó que lo exporte de nuevo desde { -app }.
err-too-large = El archivo dice que trae muchísimos más registros de los que caben en cualquier bóveda.
rec-too-large = No se cambió nada. Este archivo no lo hizo { -app }; no lo uses.
err-bad-signature = No podemos confirmar quién hizo este archivo: puede que lo hayan cambiado, o que no lo haya hecho una persona custodia.
rec-bad-signature = No se cambió nada. No lo importes. Pregúntale a quien lo mandó, en persona o por llamada, si de verdad lo mandó.
err-not-backup = Este archivo es una entrega, no una copia de seguridad de una bóveda completa.
rec-not-backup = No se cambió nada. Impórtalo en una bóveda con “aqui import ARCHIVO” (o Entrega → Importar en la app).
err-is-backup = Este archivo es una copia de seguridad de una bóveda completa, no una entrega.
rec-is-backup = No se cambió nada. Restáuralo en una carpeta nueva con “aqui restore ARCHIVO --vault CARPETA_NUEVA”.
err-no-conflict = El registro { $id } no tiene ningún conflicto por resolver.
rec-no-conflict = Mira los conflictos con “aqui conflicts”.
err-bad-take = “{ $field }” no se puede elegir aquí.
rec-bad-take = Usa --take mine, --take theirs, o CAMPO=mine / CAMPO=theirs con un campo que sea distinto (mira “aqui conflicts”). Un registro borrado solo se puede tomar completo.
err-write = No se pudo guardar el archivo { $path }: { $detail }
rec-write = No se exportó nada. Revisa que la carpeta exista, que puedas guardar archivos ahí y que el disco tenga espacio.

arg-out = el archivo que se va a crear (--out ARCHIVO)
arg-file = el archivo que se va a leer
arg-selection = qué exportar (--all, --campaign ID, --id ID… o --search PALABRAS)
arg-recipient = quién recibe el archivo (--to CUSTODIO_O_LLAVE_AGE1, o --passphrase)
arg-name = el nombre de la persona custodia (--name N)
arg-steward-key = la tarjeta (--card TARJETA) o la llave (--key age1…) de la persona custodia
arg-take = qué conservar (--take mine, --take theirs, o --take CAMPO=mine…)
arg-steward-command = add, list, verify o remove

prompt-export-passphrase = Frase de contraseña para el archivo:
prompt-export-repeat = Escríbela otra vez:
prompt-file-passphrase = La frase de contraseña del archivo:

count-kind = { $kind ->
    [org] { $count ->
        [one] una organización
       *[other] { $count } organizaciones
      }
    [person] { $count ->
        [one] una persona
       *[other] { $count } personas
      }
    [demand] { $count ->
        [one] una exigencia
       *[other] { $count } exigencias
      }
    [campaign] { $count ->
        [one] una campaña
       *[other] { $count } campañas
      }
    [pledge] { $count ->
        [one] una campaña de compromisos
       *[other] { $count } campañas de compromisos
      }
   *[note] { $count ->
        [one] una nota
       *[other] { $count } notas
      }
  }
count-deletions = { $count ->
    [one] un borrado
   *[other] { $count } borrados
  }

identity-key = Tu llave de custodio/a: { $key }
identity-fingerprint = Huella: { $fingerprint }
identity-name = Nombre en tu tarjeta: { $name }
identity-hint = Dale tu tarjeta a las otras personas custodias (aqui identity --card). Lean la huella en voz alta entre ustedes: si la suya muestra los mismos números, pueden marcar tu tarjeta como verificada.
identity-named = El nombre en tu tarjeta ahora es “{ $name }”.

steward-added = { $name } ya está entre tus personas custodias. Huella: { $fingerprint }
steward-added-hint = Compara esta huella con { $name } en persona o por llamada. Si coincide, usa “aqui steward verify { $name }”.
steward-verified = { $name } está verificado/a.
steward-removed = { $name } ya no está entre tus personas custodias.
stewards-empty = Todavía no hay personas custodias. Agrega una con “aqui steward add --name NOMBRE --card TARJETA”.
steward-state-verified = verificado/a
steward-state-unverified = sin verificar
steward-state-key-only = solo llave: puede abrir tus archivos; los suyos no se pueden comprobar

trust-own = de esta misma bóveda
trust-verified = de { $name }, persona custodia verificada
trust-known = de { $name }, persona custodia conocida pero todavía sin verificar
trust-unknown = de una persona desconocida (huella { $fingerprint })
trust-unknown-named = de una persona desconocida que dice llamarse “{ $name }” (huella { $fingerprint })

export-preview = Este archivo va a llevar:
export-excluded = Se quedan fuera: marcadas como confidenciales: { $sensitive }; sin consentimiento para compartir: { $noconsent }. Agrega --include-sensitive para incluirlas.
export-sensitive-included = Van incluidas las personas marcadas como confidenciales y las que no dieron consentimiento para compartir.
export-to = Quién puede abrirlo: { $who }
export-to-passphrase = Quién puede abrirlo: cualquier persona con la frase de contraseña.
export-written = Se guardó { $file }. { $to ->
    [passphrase] Cualquier persona con su frase de contraseña puede abrirlo.
   *[stewards] Solo las personas custodias que elegiste pueden abrirlo.
  }
export-empty = No hay nada que exportar.
backup-written = Se guardó una copia de seguridad de toda la bóveda en { $file }.
restored = { $count ->
    [one] Se restauró un registro
   *[other] Se restauraron { $count } registros
  } en una bóveda nueva en { $dir }.

import-from = Archivo { $trust }, hecho el { $date }.
import-kind-line = { $kind }: nuevos: { $new } · actualizados: { $updated } · borrados: { $deleted } · sin cambios: { $unchanged } · en conflicto: { $conflict }
import-total = En total — nuevos: { $new } · actualizados: { $updated } · borrados: { $deleted } · sin cambios: { $unchanged } · en conflicto: { $conflict }.
import-dry-run = No se cambió nada (--dry-run). Usa el mismo comando sin --dry-run para importar.
import-applied = Importado. { $conflict ->
    [0] No hay conflictos.
    [one] Un registro se editó aquí y allá al mismo tiempo: mira “aqui conflicts”.
   *[other] { $conflict } registros se editaron aquí y allá al mismo tiempo: mira “aqui conflicts”.
  }
import-unknown-warning = Cuidado: esta bóveda no conoce a quien mandó el archivo. Impórtalo solo si sabes quién lo mandó y para qué.

conflicts-empty = No hay conflictos.
conflict-head = { $id } ({ $kind }) “{ $title }”, de { $from }
conflict-field = { $field }: lo mío “{ $mine }”, lo que llegó en el archivo “{ $theirs }”
conflict-deleted-mine = borrado aquí
conflict-deleted-theirs = borrado por { $from }
conflict-hint = Quédate con un lado con “aqui resolve ID --take mine” o “--take theirs”, o elige campo por campo: --take CAMPO=mine CAMPO=theirs.
resolved = El conflicto de { $id } quedó resuelto.

log-empty = Todavía no hay exportaciones, importaciones ni copias de seguridad.
log-action-export = Exportación
log-action-import = Importación
log-action-backup = Copia de seguridad
log-action-restore = Restauración
log-line = { $time } { $action }: { $counts }
log-to = para { $who }
log-from = de { $who }
log-passphrase = con frase de contraseña
log-sensitive-included = con personas marcadas como confidenciales
log-excluded = { $count } { $count ->
    [one] persona quedó fuera
   *[other] personas quedaron fuera
  }

## App de escritorio: la pantalla Entrega (entrega entre custodios).

err-preview-stale = Algo cambió desde que se mostró el resumen, así que no se hizo nada.
rec-preview-stale = Mira el resumen otra vez, revísalo y luego sigue.
err-file-pass-short = Esa frase de contraseña es demasiado corta para proteger el archivo.
rec-file-pass-short = Usa al menos 8 caracteres; unas cuantas palabras funcionan mejor. Dísela a quien lo recibe en persona o por llamada, nunca junto con el archivo.
err-no-path = Falta el nombre del archivo.
rec-no-path = Escribe el nombre completo del archivo, con su carpeta.

ui-export-left-out = { $count ->
    [one] Una persona queda fuera
   *[other] { $count } personas quedan fuera
  } de este archivo (marcadas como confidenciales: { $sensitive }; sin consentimiento para compartir: { $noconsent }). Para incluirlas, marca “Incluir personas marcadas como confidenciales o sin consentimiento para compartir” y mira el resumen otra vez.
ui-import-left-out = Quien lo mandó dejó fuera { $count ->
    [one] a una persona
   *[other] a { $count } personas
  } (confidenciales o sin consentimiento para compartir).
ui-import-applied = Importado. { $conflict ->
    [0] No hay conflictos.
    [one] Un registro se editó aquí y en la otra bóveda al mismo tiempo: elige qué conservar en Conflictos.
   *[other] { $conflict } registros se editaron aquí y en la otra bóveda al mismo tiempo: elige qué conservar en Conflictos.
  }

ui-nav-handoff = Entrega
ui-handoff-heading = Entrega entre personas custodias
ui-handoff-intro = La única forma en que los registros salen de esta computadora: un archivo cifrado para las personas custodias que deben leerlo. Ves lo que va a llevar un archivo antes de crearlo, y lo que va a cambiar antes de importarlo.
ui-handoff-contents = En esta pantalla
ui-conflicts-waiting = { $count ->
    [one] un conflicto por resolver
   *[other] { $count } conflictos por resolver
  }
ui-home-conflicts-heading = Conflictos por resolver
ui-home-conflicts-explain = Algunos registros se editaron aquí y en otra bóveda al mismo tiempo. Se guardan las dos versiones hasta que elijas.
ui-conflicts-count-label = Registros en conflicto:
ui-home-conflicts-go = Resolverlos ahora

ui-card-heading = Mi tarjeta de custodio/a
ui-card-explain = Las otras personas custodias necesitan tu tarjeta para mandarte archivos y para saber que los archivos de verdad vienen de ti. Dásela en persona: que escaneen el código QR o copien el texto de la tarjeta, y luego lean tu huella en voz alta para compararla.
ui-own-name = Nombre en tu tarjeta
ui-own-name-hint = Cómo te conocen las otras personas custodias, por ejemplo “Ana (Riverbend)”. Va en tu tarjeta y en cada archivo que mandas.
ui-own-name-save = Guardar el nombre
ui-own-name-saved = Se guardó el nombre de tu tarjeta.
ui-fingerprint = Huella
ui-my-fingerprint-explain = Lean estos números en voz alta con la otra persona custodia: su pantalla debe mostrar los mismos junto a tu nombre.
ui-qr-label = Código QR de tu tarjeta de custodio/a
ui-card-text = Tu tarjeta (no tiene nada secreto)
ui-card-copy = Copiar la tarjeta
ui-card-copied = Se copió la tarjeta. Pégala donde la otra persona custodia pueda tomarla.
ui-card-selected = La tarjeta está seleccionada: presiona Ctrl+C para copiarla.
ui-age-key = Tu llave de custodio/a (para la línea de comandos)

ui-stewards-heading = Personas custodias
ui-stewards-explain = Las personas custodias a quienes puedes mandar archivos, y cuyos archivos reconoce esta bóveda. Marca a alguien como verificado/a solo después de comparar su huella con esa persona, en persona o por llamada.
ui-stewards-empty = Todavía no hay personas custodias. Agrega una con su tarjeta.
ui-steward-add-heading = Agregar una persona custodia
ui-steward-name = Su nombre
ui-steward-name-hint = Déjalo vacío para usar el nombre de su tarjeta.
ui-steward-card = Su tarjeta de custodio/a (pégala completa)
ui-steward-add = Agregar a la persona custodia
ui-steward-added = Se agregó. Ahora compara la huella con esa persona, en persona o por llamada, y márcala como verificada si coincide.
ui-steward-compare = Pídele que lea su huella en voz alta. Debe ser exactamente:
ui-steward-verify = Los números coinciden: marcar como verificado/a
ui-steward-verified = Quedó verificado/a.
ui-steward-remove = Quitar
ui-steward-remove-question = ¿Quitar a esta persona custodia? Los archivos ya mandados no cambian.
ui-steward-remove-confirm = Sí, quitar
ui-steward-remove-cancel = No, mantenerla
ui-steward-removed = Se quitó a la persona custodia.

ui-export-heading = Exportar
ui-export-explain = Haz un archivo para otras personas custodias. Solo quienes elijas pueden abrirlo.
ui-export-what = Qué va en el archivo
ui-export-all = Todo
ui-export-campaign = Una campaña, con todo lo que se relaciona con ella
ui-export-campaign-choose = Campaña
ui-export-no-campaigns = Todavía no hay campañas.
ui-export-search = La última búsqueda:
ui-export-search-none = La última búsqueda (primero busca, con el buscador de arriba)
ui-export-record = Este registro:
ui-export-sensitive = Incluir personas marcadas como confidenciales o sin consentimiento para compartir
ui-export-sensitive-warning = Solo si quien lo recibe de verdad las necesita y esas personas están de acuerdo.
ui-export-to = Quién puede abrirlo
ui-export-to-stewards = Las personas custodias que yo elija
ui-export-to-passphrase = Cualquiera con una frase de contraseña
ui-export-no-stewards = Todavía no hay personas custodias: agrega una, o elige una frase de contraseña.
ui-export-pass = Frase de contraseña para el archivo
ui-pass-repeat = Escríbela otra vez
ui-export-pass-hint = Dísela a quien lo recibe en persona o por llamada, nunca junto con el archivo.
ui-export-preview = Ver qué va a llevar el archivo
ui-export-path = Guardar el archivo como
ui-export-path-hint = El nombre completo del archivo, con su carpeta (por ejemplo en una memoria USB).
ui-export-go = Crear el archivo cifrado
ui-exporting = Cifrando y guardando el archivo…

ui-import-heading = Importar
ui-import-explain = Abre un archivo que te mandó otra persona custodia. Primero ves lo que cambiaría; no se guarda nada hasta que lo confirmes.
ui-import-path = El archivo que vas a importar
ui-import-pass = La frase de contraseña del archivo
ui-import-pass-hint = La que te dio quien lo mandó, no la de tu bóveda.
ui-import-preview = Ver qué cambiaría
ui-import-opening = Abriendo y revisando el archivo…
ui-import-table = Lo que hace la importación, por tipo
ui-import-col-kind = Tipo
ui-import-col-new = Nuevos
ui-import-col-updated = Actualizados
ui-import-col-deleted = Borrados
ui-import-col-unchanged = Sin cambios
ui-import-col-conflict = En conflicto
ui-import-sensitive = Este archivo trae personas marcadas como confidenciales o sin consentimiento para compartir.
ui-import-apply = Importar estos cambios
ui-import-cancel = No importar
ui-import-cancelled = No se importó nada.

ui-conflicts-heading = Conflictos
ui-conflicts-explain = Estos registros se editaron aquí y en otra bóveda al mismo tiempo. Se guardan las dos versiones: elige, campo por campo, cuál se queda.
ui-conflict-from = Lo mandó
ui-conflict-received = recibido
ui-conflict-mine = Lo mío (esta bóveda)
ui-conflict-theirs = Lo que llegó en el archivo
ui-conflict-empty-value = (vacío)
ui-conflict-deleted-theirs = borrado por quien lo mandó
ui-resolve-go = Guardar lo que elegí
ui-resolve-mine = Quedarme con mi versión de todo
ui-resolve-theirs = Usar la versión del archivo en todo
ui-resolved = El conflicto quedó resuelto.

ui-log-heading = Historial de entregas
ui-log-explain = Cada exportación, importación y copia de seguridad de esta bóveda: cuándo, cuántos de cada tipo, para quién o de quién. Nunca guarda lo que llevaban.

ui-backup-heading = Copia de seguridad
ui-backup-explain = Un archivo cifrado con toda la bóveda: registros, personas custodias, bitácora y conflictos. Guárdalo lejos de esta computadora, para que perder la computadora no sea perder el trabajo.
ui-backup-how = Cómo protegerla
ui-backup-own = Con la llave de esta bóveda: solo se abre con esta bóveda (sirve si se daña, no si pierdes la computadora)
ui-backup-passphrase = Con una frase de contraseña: se abre en cualquier lugar con la frase (sirve si pierdes la computadora)
ui-backup-pass = Frase de contraseña para la copia
ui-backup-path = Guardar la copia como
ui-backup-go = Crear la copia de seguridad
ui-backing-up = Guardando la copia de seguridad…
ui-backup-restore-hint = Para restaurarla en una bóveda nueva, usa la línea de comandos: aqui restore ARCHIVO --vault CARPETA_NUEVA.

ui-export-this = Exportar este registro

## handoff safety (issue 9)
handoff-others = y { $count ->
    [one] una persona más
   *[other] { $count } personas más
  }
err-revoked = { $name } es una persona custodia revocada: no se le envía nada y sus archivos se rechazan.
rec-revoked = No se cambió nada. Si tiene una computadora y llaves nuevas, agrégala de nuevo con “aqui steward add --name NOMBRE --card TARJETA --replace” después de comparar las huellas en persona.
err-steward-exists = Ya hay una persona custodia llamada “{ $name }”, con otras llaves (huella { $old }; la nueva es { $new }).
rec-steward-exists = Compara la huella nueva cara a cara con esa persona. Si de verdad cambió de llaves, usa el mismo comando con --replace.
err-import-warnings = No se importó nada. Este archivo trae advertencias:
rec-import-warnings = No se cambió nada. Confirma con quien lo envió, en persona o por teléfono, quién lo hizo y para quién. Para importarlo de todos modos, usa el mismo comando con --accept-warnings.
err-stopped = La bóveda se bloqueó mientras se trabajaba con el archivo. No se cambió nada.
rec-stopped = Desbloquéala y empieza de nuevo.
err-export-unreadable = No se pudo leer un registro mientras se guardaba el archivo, así que no se exportó nada y no se guardó ningún archivo.
rec-export-unreadable = Bloquea la bóveda, desbloquéala y vuelve a intentarlo. Si pasa otra vez, puede que la bóveda esté dañada: no borres nada, haz una copia de la carpeta de la bóveda y pide una entrega a otra persona custodia o restaura una copia de seguridad.
warning-unknown-sender = Quien lo envía no está entre tus personas custodias: cualquiera puede hacer un archivo así.
warning-key-only = Dice venir de una persona custodia que conoces solo por su llave, pero no hay forma de confirmar que sea así: no se muestra como suyo.
warning-not-for-us = Se hizo para otras personas y luego te lo pasaron (reenviado).
warning-old-format = Viene de una versión anterior de la app y no dice para quién se hizo.
warning-bad-sender-name = El nombre de quien lo envía tenía caracteres ocultos, así que no se muestra.
held-heading = Necesita tu decisión: { $count ->
    [one] un cambio no se aplicó
   *[other] { $count } cambios no se aplicaron
  }. Lo que tienes se queda hasta que elijas (mira “aqui conflicts”).
conflict-held = Retenido, no aplicado: { $reasons }. Lo que tienes se queda hasta que elijas.
held-line = { $kind } “{ $title }”: { $reasons }{ $fields }
held-fields = ; cambiaría { $fields }
held-unmarks = quitaría la marca de confidencial
held-widens-consent = ampliaría el consentimiento
held-restores = traería de vuelta un registro borrado
held-unverified = un cambio de alguien que no es una persona custodia verificada
held-forged-clock = dice tener ediciones que esta computadora nunca hizo
import-warning-line = Advertencia: { $warning }
import-accept-hint = Impórtalo de todos modos con --accept-warnings, una vez que lo hayas confirmado con quien lo envió.
export-mentions = Cuidado: { $count ->
    [one] una nota
   *[other] { $count } notas
  } de este archivo { $count ->
    [one] menciona
   *[other] mencionan
  } por su nombre a una persona que se deja fuera: { $titles }. Su nombre viaja en el texto; edita la nota o déjala fuera de la exportación.
steward-state-revoked = revocado/a el { $date }{ $reason }
steward-revoked = Se revocó a { $name }. No se le exportará nada y sus archivos se rechazarán.
steward-replaced = Se reemplazaron las llaves de { $name }: huella anterior { $old }, nueva { $new }.
log-steward-none = Nunca se envió nada a { $name } ni se recibió nada de esa persona.
field-others = Otras personas, sin nombre
ui-import-held = Necesita tu decisión
ui-import-held-explain = Estos cambios no se aplicaron. Lo que tienes se queda hasta que elijas, campo por campo, en Conflictos.
ui-import-col-held = Necesita tu decisión
ui-import-warnings = Antes de importar, confirma con quien lo envió:
ui-import-accept = Lo confirmé con quien lo envió, en persona o por teléfono: importarlo de todos modos
ui-export-mentions = Algunas notas que viajarán mencionan por su nombre a una persona que se deja fuera:
ui-steward-revoke = Revocar
ui-steward-revoke-reason = Por qué (opcional)
ui-steward-revoke-confirm = ¿Revocar a esta persona custodia? No se le exportará nada y sus archivos se rechazarán.

## What rests on disk: keys, integrity, wipe (issue 10)

err-vault-read-only = Esta bóveda está abierta solo para lectura, así que no se cambió nada.
rec-vault-read-only = Algo en los archivos de la bóveda se cambió fuera de { -app } (mira el aviso que apareció al abrirla). Todavía puedes leer todo. Haz una copia de la carpeta de la bóveda y luego restaura en una bóveda nueva una copia de seguridad de confianza, o pide una entrega a otra persona custodia.
err-vault-tampered = Algo en los archivos de esta bóveda se cambió fuera de { -app }, así que está abierta solo para lectura:
rec-vault-tampered = Puedes leer todo lo que hay, pero no cambiarlo. No borres nada. Haz una copia de la carpeta de la bóveda y luego restaura en una bóveda nueva una copia de seguridad de confianza, o pide una entrega a otra persona custodia.
finding-seal-missing = falta el sello de la bóveda (la lista de lo que contiene) o fue alterado
finding-records-removed = { $count ->
    [one] se quitó un registro
   *[other] se quitaron { $count } registros
}
finding-records-added = { $count ->
    [one] se agregó un registro
   *[other] se agregaron { $count } registros
}
finding-records-replaced = uno o más registros se reemplazaron por una copia anterior, o fueron alterados
finding-aux-changed = se cambiaron la lista de personas custodias, el historial de entregas, los conflictos o las llaves de custodio/a de esta bóveda
finding-log-broken = faltan entradas del historial de entregas, están fuera de orden o fueron reemplazadas
ui-wipe-honest = En los discos de estado sólido (SSD) y en algunos sistemas de archivos, sobrescribir un archivo no llega a las copias viejas de sus bloques: alguien con las herramientas adecuadas podría recuperar pedazos. Lo que protege la bóveda es que su llave se destruye: sin ella, lo que quede no se puede descifrar. Activa también el cifrado de disco completo en esta computadora.
ui-wipe-files = Archivos de entregas y copias de seguridad que esta app creó y que todavía están ahí. Nadie puede leerlos sin la llave o la frase de contraseña correcta, pero muestran que hubo entregas. ¿Quieres borrarlos también?
ui-wipe-files-none = Esta app no conoce ningún archivo de entrega ni copia de seguridad que haya creado y que todavía esté ahí. Los archivos creados con otra copia de la app, o que se movieron después, no los conoce: bórralos tú.
ui-wipe-files-also = Borrar también estos archivos
## Language and first start

err-demo-own-pass = La sección de ejemplo de esta computadora se hizo con una frase de contraseña propia, así que no se abre sola.
rec-demo-own-pass = En la pantalla para desbloquear, escribe esa frase y elige “Abrir la sección de ejemplo”.
ui-demo-leave = Salir de la sección de ejemplo
ui-demo-leave-explain = Cierra la sección de ejemplo y vuelve a donde la abriste.
ui-demo-left = Saliste de la sección de ejemplo. Nada de lo que había ahí era real.
overdue-since = desde el { $date }
time-am = a.m.
time-pm = p.m.
ui-date-day = Día
ui-date-month = Mes
ui-date-year = Año
ui-skip-nav = Ir al menú
err-option-twice = Diste --{ $option } dos veces, así que no está claro cuál quieres.
rec-option-twice = Escribe --{ $option } una sola vez. No se cambió nada.
err-restore-needs-from = Esta copia de seguridad está cerrada con la llave de la bóveda de donde salió, así que se necesita esa bóveda para abrirla.
rec-restore-needs-from = No hay ninguna bóveda en { $dir }. Agrega --from CARPETA con la carpeta de la bóveda de donde salió la copia (o una copia de esa bóveda). No se cambió nada.
help-more = Todos los comandos: aqui help
help-init =
    aqui init
      Crea una bóveda nueva y vacía, cerrada con la frase de contraseña que elijas (al menos 8 caracteres; lo mejor son unas palabras).
      La carpeta es --vault CARPETA, si no AQUI_VAULT, si no la carpeta de datos de esta computadora.
help-demo =
    aqui demo [--vault CARPETA]
      Crea una bóveda con una sección local de ejemplo (ficticia), en el idioma de --lang, para probar.
      Solo va en una bóveda vacía, nunca entre registros reales.
help-add =
    aqui add TIPO --CAMPO VALOR…
      Agrega un registro. TIPO es org, person, demand, campaign, pledge o note.
      Campos:
        org       --name N --kind K --immigrant-led --region R --relationship R --language L --contact ID --private
        person    --name N --alias A --phone P --email E --signal S --org ID[:rol] --lang en|es
                  --tag T --sensitive --no-share --consent-contact yes|no --last-contact FECHA --next-follow-up FECHA
        demand    --title T --target T --jurisdiction J --status S --partner ID --lead ID --campaign ID
        campaign  --name N --description D --partner ID
        pledge    --title T --goal N --deadline FECHA --signer ID --paper-count N --campaign ID
        note      --title T --body B --date FECHA --kind K --attendee ID --org ID --campaign ID
                  --follow-up "TAREA|FECHA|ID_PERSONA" --headcount N
      Las fechas se escriben AÑO-MES-DÍA (2026-04-15).
help-list =
    aqui list TIPO
      Muestra los registros de un tipo: org, person, demand, campaign, pledge o note.
help-show =
    aqui show ID
      Muestra todos los campos de un registro.
help-edit =
    aqui edit ID --CAMPO VALOR…
      Cambia campos de un registro, con los mismos campos que “aqui add”.
      --remove-tag T (y --remove-org, --remove-partner, …) quita un valor de una lista; --done N marca como hecho el seguimiento N.
help-delete =
    aqui delete ID
      Borra un registro para siempre.
help-search =
    aqui search PALABRAS
      Busca registros por nombres, alias, organizaciones, etiquetas, títulos y notas, sin importar mayúsculas ni acentos.
help-passwd =
    aqui passwd
      Cambia la frase de contraseña de la bóveda (la nueva: al menos 8 caracteres). Los registros quedan igual.
help-wipe =
    aqui wipe --yes
      Borrado de emergencia: destruye esta bóveda para siempre. Nadie puede volver a leer sus registros, ni con la frase de contraseña.
help-identity =
    aqui identity [--card] [--name N]
      Muestra tu llave de custodio/a y su huella. --card imprime la tarjeta para las otras personas custodias; --name N pone el nombre que lleva.
help-steward =
    aqui steward add --name N --card TARJETA  agregar a una persona custodia con su tarjeta (o --key age1… si no usa la app)
    aqui steward list                         las personas custodias que conoce esta bóveda
    aqui steward verify NOMBRE [--fingerprint H]  después de comparar la huella en persona o por llamada (H: la que leíste, se comprueba)
    aqui steward remove NOMBRE
    aqui steward revoke NOMBRE [--reason TEXTO]  computadora incautada: no se le envía nada y sus archivos se rechazan
      --replace (con add) da llaves nuevas a un nombre que ya está, después de comparar huellas
help-export =
    aqui export --to CUSTODIO… (--all | --campaign ID | --id ID… | --search PALABRAS) --out ARCHIVO
      Crea un archivo para otras personas custodias con lo que elijas: solo ellas pueden abrirlo.
      --to lleva el nombre de una persona custodia que conoce esta bóveda (aqui steward list), o una llave age1….
      --passphrase         cerrarlo con una frase de contraseña (al menos 8 caracteres) en vez de --to (dila en persona, nunca junto con el archivo)
      --include-sensitive  incluir personas marcadas como confidenciales o sin consentimiento para compartir
help-import =
    aqui import ARCHIVO [--dry-run] [--accept-warnings]
      Muestra qué cambiaría un archivo de otra persona custodia y luego lo une. --dry-run solo lo muestra.
      Un archivo con advertencias (remitente desconocido, reenviado, formato anterior) se rechaza si no pones --accept-warnings.
help-conflicts =
    aqui conflicts
      Muestra, campo por campo, los registros editados aquí y por otra persona custodia al mismo tiempo.
help-resolve =
    aqui resolve ID --take mine|theirs
    aqui resolve ID --take CAMPO=mine CAMPO=theirs…
      Se queda con una versión de un registro en conflicto, completa o campo por campo.
help-backup =
    aqui backup --out ARCHIVO [--passphrase] [--to CUSTODIO…]
      Guarda toda la bóveda en un solo archivo cifrado. Sin --passphrase solo se abre con la llave de esta bóveda (y la de cada custodio/a de --to).
help-restore =
    aqui restore ARCHIVO --vault CARPETA_NUEVA [--from BÓVEDA]
      Restaura una copia de seguridad en una bóveda nueva, con una frase de contraseña nueva de al menos 8 caracteres. Una copia hecha sin --passphrase necesita la bóveda de donde salió: --from BÓVEDA.
help-log =
    aqui log [--steward NOMBRE]
      Cada exportación, importación, copia de seguridad, restauración y hoja de cálculo (CSV) que entró o salió de esta bóveda: cuándo, cuántos de cada tipo, para quién o de quién.
      --steward NOMBRE: solo lo que se le envió o se recibió de esa persona.
ui-yes = Sí
ui-no = No
ui-export-add-steward = Agregar una persona custodia
demo-passphrase = Su frase de contraseña es “{ $passphrase }”, la misma que en la app: solo tiene datos ficticios.
## Consent, reports, retention and the free-text guard (issue 12)

consent-state-not-asked = Sin preguntar
consent-state-yes = Sí
consent-state-no = No
consent-how-in-person = en persona
consent-how-paper = formulario en papel
consent-how-phone = por teléfono
consent-how-signal = por Signal
consent-how-form = formulario en línea
consent-how-other = otra forma
consent-topic-contact = Consentimiento para contactar
consent-topic-share = Consentimiento para compartir
consent-before-records = registrado antes de que existieran los registros de consentimiento: falta confirmarlo
field-consent-record = Registro de consentimiento
field-headcount = Asistencia
field-private = Privada (sin nombre en los informes)
field-recorder = Registrado por
consent-script = Guardamos un registro breve y cifrado de las personas con quienes nos organizamos, solo en esta computadora. ¿Podemos contactarte sobre nuestro trabajo? ¿Y podemos compartir tu nombre y cómo contactarte con las pocas personas organizadoras que guardan estos registros? Puedes decir que no a cualquiera de las dos cosas, y puedes cambiar de opinión cuando quieras: solo avísanos.
consent-form-title = Consentimiento para contactar y compartir
consent-form-contact = Pueden contactarme sobre este trabajo.
consent-form-share = Pueden compartir mi nombre y cómo contactarme con las otras personas organizadoras que guardan estos registros.
consent-form-name = Nombre o apodo
consent-form-how-to-reach = Cómo contactarme (teléfono, Signal o correo)
consent-form-signature = Firma
consent-form-date = Fecha
consent-form-withdraw = Puedes retirar cualquiera de los dos consentimientos cuando quieras, avisándole a cualquier persona organizadora. Nunca preguntamos ni anotamos el estatus migratorio.
arg-consent = qué se respondió (--contact yes|no y/o --share yes|no)
arg-period = el periodo (--period 2026-Q4, --period 2026, o --from FECHA --to FECHA)
arg-rule = la regla (note-body, note-attendees, inactive-person o log)
arg-age = el plazo (90d, 6m, 2y) u off
arg-on-off = on u off
err-bad-value = No se puede leer “{ $value }” aquí.
err-report-write = No se pudo guardar el informe en { $path }.
rec-report-write = No se guardó nada. Revisa que la carpeta exista y que puedas guardar archivos en ella, o elige otra carpeta, y vuelve a intentarlo.
report-written = El informe quedó en { $path }. No nombra a nadie.
guard-status-cli = Aviso: este texto parece anotar un estatus migratorio. Esta aplicación no debería guardar el estatus migratorio. Se guardó de todos modos: edítalo si no debe quedar.
guard-status = Esta aplicación no debería guardar el estatus migratorio. ¿Lo dejas así?

report-title-bulletin = Boletín trimestral
report-title-annual = Informe anual
report-period = { $from } – { $to }
report-period-quarter = { $year }, trimestre { $quarter }
report-none = Nada en este periodo.
report-demands = Exigencias
report-demands-won = { $count ->
    [0] En este periodo no se ganó ninguna exigencia.
    [one] En este periodo se ganó una exigencia.
   *[other] En este periodo se ganaron { $count } exigencias.
}
report-demand = Exigencia
report-demand-status = Estado al final del periodo
report-demand-changes = Cambios en el periodo
report-pledges = Campañas de compromisos
report-pledge-line = { $progress } de { $goal } ({ $percent } %): { $named } con nombre, { $paper } en papel
report-pledge-deadline = Fecha límite: { $date }
report-pledge-met = Meta cumplida a tiempo
report-pledge-missed = Meta no cumplida a tiempo
report-pledge-open = Todavía en curso
report-activity = Reuniones, capacitaciones y acciones
report-activity-kind = Tipo
report-held = Realizadas
report-headcount = Asistencia
report-total = Total
report-orgs = Organizaciones aliadas
report-orgs-count = { $count ->
    [one] Una organización aliada; nuevas en este periodo: { $new }.
   *[other] { $count } organizaciones aliadas; nuevas en este periodo: { $new }.
}
report-orgs-immigrant-led = { $count ->
    [one] Una de ellas está liderada por inmigrantes ({ $percent } %).
   *[other] { $count } de ellas están lideradas por inmigrantes ({ $percent } %).
}
report-orgs-by-kind = Por tipo
report-orgs-private = { $count ->
    [one] Una organización aliada pidió no aparecer con su nombre.
   *[other] { $count } organizaciones aliadas pidieron no aparecer con su nombre.
}
report-people = Personas
report-people-total = Personas en total: { $total } · nuevas en este periodo: { $new }
report-people-by-lang = Por idioma preferido
report-lang-unknown = sin anotar
report-fewer-than = menos de { $n }
report-follow-ups = Seguimientos
report-follow-ups-line = De las notas de este periodo — hechos: { $done } · pendientes: { $open }
report-growth = Crecimiento mes a mes
report-growth-people = Personas
report-growth-new = Nuevas
report-growth-activities = Reuniones y acciones
report-footer = Hecho con Aquí Estamos. Este informe no nombra a nadie: las personas aparecen solo como números, y los números que desglosan personas por debajo de { $n } se muestran como “menos de { $n }”.
err-bad-period = No se puede leer ese periodo.
rec-bad-period = Escribe un trimestre (2026-Q4), un año (2026) o dos fechas (2026-01-01 2026-03-31).

ui-nav-reports = Informes
ui-reports-heading = Informes
ui-reports-explain = Un boletín trimestral o un informe anual que no nombra a nadie: exigencias, campañas de compromisos, reuniones y acciones, organizaciones aliadas, y las personas solo como números. Los números menores de 5 que desglosan personas aparecen como “menos de 5”.
ui-report-period = Periodo
ui-report-show = Mostrar el informe
ui-report-frame = El informe
ui-report-path = Guardar el informe como
ui-report-save = Guardar
ui-report-print = Imprimir
ui-report-saved = El informe quedó guardado:
ui-consent-confirm-heading = Consentimiento por confirmar
ui-consent-confirm-explain = Estas personas se anotaron antes de que existieran los registros de consentimiento. Conservan lo que tenían; la próxima vez que las veas, vuelve a preguntarles y anota su respuesta.
ui-consent-open = Consentimiento
ui-consent-heading = Consentimiento
ui-consent-read = Léele esto a la persona, en su idioma
ui-consent-how = Cómo lo dio
ui-consent-lang = En qué idioma
ui-consent-save = Anotar la respuesta
ui-consent-withdraw = Retirar los dos consentimientos
ui-consent-form-show = Formulario de consentimiento en papel
ui-consent-close = Cerrar
ui-consent-history = Historial
ui-consent-history-empty = Todavía no hay consentimiento anotado.
ui-consent-leave = (dejar como está)
ui-consent-how-blank = (no se dijo)
ui-consent-saved = La respuesta quedó anotada.
ui-consent-withdrawn = Se retiró el consentimiento: esta persona queda fuera de las exportaciones.
ui-guard-edit = Editar el texto
ui-guard-keep = Dejarlo así

retention-rule-note-body = Texto de las notas después de
retention-rule-note-attendees = Asistentes de las notas después de
retention-rule-inactive-person = Personas sin actividad después de
retention-rule-log = Entradas del historial de entregas después de
retention-off = desactivada
retention-hold-on = Hay una retención legal activa (desde { $since }): no se borrará nada. Motivo: { $reason }
retention-hold-off = No hay retención legal: lo vencido se borra a su tiempo.
purge-counts = Se va a quitar — notas que pierden su texto: { $bodies } · notas que pierden su lista de asistentes: { $attendees } · personas sin actividad: { $people } · entradas del historial de entregas que pierden los nombres: { $log }. Quedan las fechas, los tipos, la asistencia y los totales.
purge-dry-run = No se quitó nada (fue una prueba).
purge-done = Listo. Los totales del pasado no cambiaron.
retention-purged-person = (datos borrados)
err-held = Hay una retención legal activa: no se borró nada.
rec-held = Desactívala (aqui hold off) cuando se resuelva el requerimiento legal.
arg-reason = por qué (--reason TEXTO)
rec-held-app = Desactívala en Configuración cuando se resuelva el requerimiento legal.
ui-hold-heading = Hay una retención legal activa
ui-purge-heading = Vencido según las reglas de conservación
ui-purge-now = Borrar ahora
ui-purge-later = Posponer
ui-purge-postponed = Pospuesto: se te volverá a preguntar la próxima vez que desbloquees.
ui-retention-heading = Conservación
ui-retention-explain = Decide de antemano cuánto tiempo guardar las identidades y los textos. Cada regla está desactivada hasta que le pongas un plazo. Al borrar se conserva lo que cuentan los informes: fechas, tipos, asistencia y totales.
ui-retention-age-hint = Un plazo como 90d (días), 6m (meses) o 2y (años); si lo dejas vacío, la regla se desactiva.
ui-hold-label = Retención legal: pausar todo borrado (llegó una citación u otro requerimiento legal)
ui-hold-reason = Motivo de la retención
ui-retention-save = Guardar las reglas
ui-retention-saved = Las reglas de conservación quedaron guardadas.
backup-retention-rules = Reglas de conservación que trae: { $rules }.
backup-retention-hold = Trae una retención legal activa (desde { $since }): no se borrará nada. Motivo: { $reason }
## Organizer workflows: spreadsheets, paper signatures

help-csv =
    Hojas de cálculo y firmas en papel:
      csv import ARCHIVO --kind person|org [--map COLUMNA=CAMPO]… [--dry-run] [--skip-invalid]
                                          traer personas u organizaciones de un archivo CSV (primero una vista previa)
      csv export person|org --out ARCHIVO [--include-sensitive]
                                          un CSV para un banco de llamadas o una hoja de registro (NO está cifrado)
      pledge add-batch ID --count N [--date FECHA] [--by ID_PERSONA]
                                          anotar un lote de firmas en papel
      pledge sheet ID --out ARCHIVO [--lines N]
                                          una hoja de firmas para imprimir (en inglés y español)
    Campos CSV para personas: name, first-name, last-name, alias, phone, email, signal, tags, lang, org, ignore
    Campos CSV para organizaciones: name, kind, region, language, relationship, immigrant-led, ignore

arg-csv-command = import o export
arg-pledge-command = add-batch o sheet
arg-count = cuántas firmas (--count N)
arg-csv-kind = qué tiene el archivo (--kind person o --kind org)

csv-col-name = nombre
csv-col-alias = alias
csv-col-phone = teléfono
csv-col-email = correo
csv-col-signal = signal
csv-col-language = idioma
csv-col-tags = etiquetas
csv-col-organization = organización
csv-col-kind = tipo
csv-col-region = región
csv-col-languages = idiomas
csv-col-relationship = relación

csv-preview-file = Leído como { $encoding }, celdas separadas por “{ $delimiter }”, { $rows ->
    [one] una fila
   *[other] { $rows } filas
  }.
csv-preview-column = { $column } → { $field }
csv-preview-ignored = No se guardan (nunca): { $columns }
csv-preview-counts = Nuevas: { $new } · repetidas en el archivo, unidas: { $merged } · ya estaban, completadas: { $updated } · ya estaban, nada nuevo: { $unchanged }
csv-preview-new-orgs = { $count ->
    [one] Una organización nueva de la columna de organización.
   *[other] { $count } organizaciones nuevas de la columna de organización.
}
csv-preview-invalid = { $count ->
    [one] Una fila tiene un problema:
   *[other] { $count } filas tienen un problema:
  }
csv-row-problem = Fila { $row }, { $column }: { $problem }
csv-dry-run = No se guardó nada (--dry-run).
csv-skipped = { $count ->
    [one] Se dejó fuera una fila con un problema (--skip-invalid).
   *[other] Se dejaron fuera { $count } filas con un problema (--skip-invalid).
  }
csv-imported = Importado — nuevas: { $new } · completadas: { $updated }. Importar el mismo archivo otra vez no agrega nada.
csv-exported = { $count ->
    [one] Se guardó una fila en { $path }.
   *[other] Se guardaron { $count } filas en { $path }.
}
csv-excluded = { $count ->
    [one] Una persona quedó fuera (marcada como confidencial, o no aceptó que se compartan sus datos). Agrega --include-sensitive solo si no hay ninguna duda.
   *[other] { $count } personas quedaron fuera (marcadas como confidenciales, o no aceptaron que se compartan sus datos). Agrega --include-sensitive solo si no hay ninguna duda.
}
csv-not-encrypted = Cuidado: un archivo CSV NO está cifrado. Cualquiera que tenga este archivo lo puede leer. Bórralo cuando termine el banco de llamadas y no lo mandes por correo.

err-csv-read = No se pudo leer el archivo { $path }: { $reason }
rec-csv-read = Revisa el nombre del archivo, o vuelve a elegirlo.
err-csv-folder = { $path } es una carpeta, no un archivo.
rec-csv-folder = Elige el archivo que está dentro de la carpeta (un archivo .csv).
err-csv-too-large = El archivo es demasiado grande para ser una lista de personas (más de 64 MB).
rec-csv-too-large = Revisa que sea el archivo correcto, o divídelo en partes.
err-csv-empty = El archivo está vacío: no tiene fila de encabezados.
rec-csv-empty = Guarda otra vez la hoja de cálculo como CSV, con los nombres de las columnas en la primera fila.
err-csv-syntax = No se puede leer el archivo como hoja de cálculo (CSV): el problema está en la fila { $row }.
rec-csv-syntax = Ábrelo en una hoja de cálculo y guárdalo otra vez como CSV (separado por comas o por punto y coma).
err-csv-kind = Solo se pueden traer de una hoja de cálculo, o guardar en ella, personas y organizaciones.
rec-csv-kind = Usa --kind person o --kind org.
err-csv-no-column = El archivo no tiene una columna llamada “{ $column }”.
rec-csv-no-column = Escribe el nombre de la columna tal como está en la primera fila del archivo.
err-csv-no-field = “{ $field }” no es un campo que una columna pueda llenar.
rec-csv-no-field = Usa uno de los campos que aparecen en aqui help, o ignore para dejar la columna fuera.
err-csv-no-name = Ninguna columna tiene los nombres.
rec-csv-no-name = Indica qué columna tiene los nombres, por ejemplo --map "Nombre completo=name".
err-csv-bad-rows = { $count ->
    [one] Una fila tiene un problema, así que no se importó nada:
   *[other] { $count } filas tienen un problema, así que no se importó nada:
  }
rec-csv-bad-rows = Corrige esas filas en la hoja de cálculo e importa otra vez, o agrega --skip-invalid para importar las demás filas.
err-csv-write = No se pudo guardar el archivo { $path }.
rec-csv-write = No se guardó nada. Revisa que la carpeta exista, que puedas guardar archivos ahí y que el disco tenga espacio, o elige otra carpeta.

log-action-csv-export = Hoja de cálculo (CSV) creada
log-action-csv-import = Hoja de cálculo (CSV) importada

field-batch = Lotes en papel
field-count = Cantidad
field-by = Recolectadas por
pledge-batch-added = { $count ->
    [one] Se agregó una firma en papel. Avance: { $progress } de { $goal }.
   *[other] Se agregaron { $count } firmas en papel. Avance: { $progress } de { $goal }.
}
pledge-sheet-written = La hoja de firmas quedó guardada en { $path }. Ábrela en un navegador e imprímela.
sheet-deadline = Hasta el { $date }
sheet-consent = Al firmar, acepto que quienes organizan guarden mi nombre y mi teléfono para avisarme de esta campaña. Puedo pedir que me quiten en cualquier momento.
sheet-col-name = Nombre
sheet-col-phone = Teléfono (opcional)
sheet-col-lang = Idioma
sheet-col-signature = Firma

ui-csv-heading = Hojas de cálculo (CSV)
ui-csv-explain = Trae personas u organizaciones de una hoja de cálculo (Excel, Google Sheets, una exportación de Action Network): primero guárdala como CSV. Antes de guardar nada ves en qué se convierte cada columna; las personas repetidas se unen, no se duplican.
ui-csv-kind = Qué tiene el archivo
ui-csv-path = El archivo CSV
ui-choose-file = Elegir un archivo…
ui-choose-place = Elegir dónde…
ui-drop-hint = También puedes soltar el archivo en esta ventana.
ui-csv-preview = Ver qué haría
ui-csv-map = En qué se convierte cada columna
ui-csv-col-column = Columna del archivo
ui-csv-col-field = Se guarda como
ui-csv-not-kept = — no se guarda —
ui-csv-invalid-head = Estas filas tienen un problema. Corrígelas en la hoja de cálculo, o déjalas fuera:
ui-csv-skip-invalid = Importar las demás filas y dejar estas fuera
ui-csv-apply = Importar
ui-csv-imported = Se importó la hoja de cálculo.
ui-csv-export-heading = Crear una hoja de cálculo
ui-csv-include-sensitive = Incluir a las personas marcadas como confidenciales y a quienes no aceptaron que se compartan sus datos
ui-csv-export-path = Guardar la hoja de cálculo como
ui-csv-export-go = Crear el archivo de la hoja de cálculo
field-first-name = Nombre de pila
field-last-name = Apellido
field-tags = Etiquetas

ui-picker-placeholder = Escribe un nombre para buscar…
ui-picker-none = No se encontró nada. Prueba con otra parte del nombre.
ui-picker-remove = Quitar

door-open = Registro en la entrada
door-open-explain = Un registro a pantalla completa para esta reunión en esta computadora: cada persona escribe su propio nombre y nadie ve el de los demás. Para salir se necesita la frase de contraseña.
door-heading = ¡Te damos la bienvenida! Por favor, regístrate
door-explain = Solo hace falta tu nombre. Nadie más puede ver lo que escribes.
door-name = Nombre o apodo
door-phone = Teléfono (opcional)
door-lang = Idioma
door-consent-contact = Pueden contactarme sobre este trabajo
door-consent-share = Pueden compartir mi nombre y cómo contactarme con las otras personas organizadoras que guardan estos registros
door-submit = Registrarme
door-leave = Salir del registro (equipo organizador)
door-leave-pass = Frase de contraseña
door-leave-go = Salir
door-count = Personas registradas
door-thanks = ¡Gracias! Tu registro quedó listo.

drive-progress-parts = { $progress } de { $goal }: { $named } con nombre, { $paper } en papel
ui-drive-heading = Firmas
ui-drive-chart = Firmas a lo largo del tiempo, con la meta y la fecha límite
ui-drive-goal = meta
ui-drive-deadline = fecha límite
ui-batch-heading = Lotes en papel
ui-batch-date = Fecha
ui-batch-count = Firmas
ui-batch-by = Recolectadas por
ui-batch-undated = antes de los lotes
ui-batch-add = Agregar un lote en papel
ui-batch-added = Se agregó el lote en papel.
ui-sheet-print = Hoja de firmas para imprimir…

ui-restore-open = Restaurar desde una copia de seguridad
ui-restore-heading = Restaurar desde una copia de seguridad
ui-restore-explain = Para una computadora perdida o dañada: recupera en una bóveda nueva, con una frase de contraseña nueva, todo lo que tiene un archivo de copia de seguridad. Antes de guardar nada ves lo que contiene.
ui-restore-path = El archivo de copia de seguridad
ui-restore-how = Cómo está cerrada la copia
ui-restore-by-pass = Con su propia frase de contraseña
ui-restore-by-vault = Con la llave de la bóveda anterior (todavía tengo la carpeta de esa bóveda)
ui-restore-old-folder = La carpeta de la bóveda anterior
ui-restore-key-pass = La frase de contraseña de la copia (o de la bóveda anterior)
ui-restore-place = Una carpeta nueva para la bóveda restaurada (esta computadora ya tiene una)
ui-restore-new-pass = Una frase de contraseña nueva para la bóveda restaurada
ui-restore-preview = Ver lo que contiene
ui-restore-go = Restaurar
ui-restore-done = Se restauró la copia de seguridad. Esta es la bóveda restaurada.
ui-restore-done-elsewhere = Se restauró la copia de seguridad en una bóveda nueva:
ui-show-more = Mostrar 200 más

## Ayuda de cada comando de la línea de comandos (segunda ronda)

help-consent =
    aqui consent ID [--contact yes|no] [--share yes|no] [--how H] [--date AAAA-MM-DD] [--lang en|es] [--recorder ID_PERSONA]
      Anota el consentimiento de una persona para que la contacten y para compartir sus datos con otras personas custodias, con fecha, en su historial.
      H: in-person, paper, phone, signal, form u other. --lang: el idioma en que lo dio. --recorder: quién lo anotó.
      Las personas nuevas empiezan en “sin preguntar”; con “sin preguntar” o “no” quedan fuera de las exportaciones.
help-report =
    aqui report (--period 2026-Q4 | --period 2026 | --from AAAA-MM-DD --to AAAA-MM-DD) [--out ARCHIVO.html]
      Un boletín trimestral (o, para un año, un informe anual) que no nombra a nadie: cifras, logros, campañas de compromisos, reuniones.
      Un número menor de 5 que desglosa personas aparece como “menos de 5”. --out escribe una sola página para imprimir; --json da las cifras.
help-retention =
    aqui retention
    aqui retention set REGLA PLAZO|off
      Muestra o fija cuánto tiempo se guardan las cosas. REGLA: note-body, note-attendees, inactive-person o log.
      PLAZO: 90d (días), 6m (meses) o 2y (años); off apaga la regla. Todas las reglas están apagadas hasta que las fijes.
help-purge =
    aqui purge [--dry-run]
      Borra de una vez lo que vence según las reglas de conservación, después de mostrar cuánto de cada tipo.
      Los totales de los informes se quedan. --dry-run solo muestra. Mientras haya una retención legal no se borra nada.
help-hold =
    aqui hold on|off [--reason TEXTO]
      Pausa todo borrado (por ejemplo, cuando llega un requerimiento legal de conservar datos), o quita la pausa.
help-csv-topic =
    aqui csv import ARCHIVO --kind person|org [--map COLUMNA=CAMPO]… [--dry-run] [--skip-invalid]
      Trae personas u organizaciones de una hoja de cálculo (CSV). Primero muestra cómo se leyó el archivo,
      qué columna llena qué campo y qué haría. --map cambia una columna (ignore la deja fuera).
      Una fila con errores detiene todo, salvo con --skip-invalid. Importar el mismo archivo otra vez no agrega nada.
    aqui csv export person|org --out ARCHIVO [--include-sensitive]
      Un CSV para un banco de llamadas o una hoja de registro. NO está cifrado. Las personas confidenciales o sin
      consentimiento para compartir quedan fuera, salvo con --include-sensitive.
    Campos CSV para personas: name, first-name, last-name, alias, phone, email, signal, tags, lang, org, ignore
    Campos CSV para organizaciones: name, kind, region, language, relationship, immigrant-led, ignore
help-pledge =
    aqui pledge add-batch ID --count N [--date AAAA-MM-DD] [--by ID_PERSONA]
      Anota un lote de firmas en papel de una campaña de compromisos: cuántas, cuándo y quién las juntó.
    aqui pledge sheet ID --out ARCHIVO [--lines N]
      Escribe una hoja de firmas para imprimir, en inglés y español.
help-help =
    aqui help [COMANDO]
    aqui COMANDO --help
      Muestra todos los comandos, o la ayuda de uno.
## Replacing a steward's keys in the app (second round)
ui-steward-replace = Reemplazar sus llaves
ui-steward-replace-explain = Compara la huella nueva con esa persona, cara a cara o por llamada. Reemplaza sus llaves solo si de verdad las cambió: lo que se envíe a este nombre de ahora en adelante irá a las llaves nuevas.
## Reports over time and the saved paper consent form (second round, issue 12)

report-pledge-chart = Avance de “{ $title }” durante el periodo, frente a su meta y su fecha límite
report-pledge-goal-mark = Meta: { $goal }
consent-form-written = El formulario de consentimiento se guardó en { $path }. No nombra a nadie: cada persona lo llena a mano.
help-consent-form =
    aqui consent-form [--out ARCHIVO.html] [--lang en|es]
      El formulario de consentimiento para imprimir, en una sola página independiente: en inglés y español, o solo en el idioma que indique --lang.
      Sin --out, la página se muestra aquí. No se abre ninguna bóveda: el formulario no nombra a nadie.
ui-consent-form-save = Guardar el formulario
ui-consent-form-saved = El formulario de consentimiento se guardó:
report-withheld = no se muestra (para que no se pueda deducir un número pequeño)
report-demand-with = Con:
report-demand-private-partners = { $count ->
    [one] una organización aliada que pidió no aparecer con su nombre
   *[other] { $count } organizaciones aliadas que pidieron no aparecer con su nombre
}
