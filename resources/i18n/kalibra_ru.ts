<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>Application</name>
    <message>
        <location filename="../../app/application.py" line="50" />
        <source>Kalibra cannot open its database.

{0}

Check the database address in the settings file or KALIBRA_DATABASE_URL.</source>
        <translation>Kalibra не может открыть базу данных.

{0}

Проверьте адрес базы данных в файле настроек или в KALIBRA_DATABASE_URL.</translation>
    </message>
</context>
<context>
    <name>CallDetailsPane</name>
    <message>
        <location filename="../../app/library_page.py" line="57" />
        <location filename="../../app/library_page.py" line="87" />
        <source>No call selected</source>
        <translation>Звонок не выбран</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="63" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="63" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="64" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="64" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="65" />
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="65" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="66" />
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="66" />
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="67" />
        <source>Audio</source>
        <translation>Аудио</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="67" />
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="67" />
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="73" />
        <source>Open for review</source>
        <translation>Открыть для оценки</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="94" />
        <source>Call #{0}</source>
        <translation>Звонок № {0}</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="106" />
        <source>stereo</source>
        <translation>стерео</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="106" />
        <source>mono</source>
        <translation>моно</translation>
    </message>
</context>
<context>
    <name>CallTableModel</name>
    <message>
        <location filename="../../app/call_table_model.py" line="87" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="87" />
        <source>Date and time</source>
        <translation>Дата и время</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="87" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="87" />
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="88" />
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="88" />
        <source>Call kind</source>
        <translation>Тип звонка</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="88" />
        <source>Outcome</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../app/call_table_model.py" line="88" />
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
</context>
<context>
    <name>EmptyLibraryBanner</name>
    <message>
        <location filename="../../app/main_window.py" line="37" />
        <source>The library is empty</source>
        <translation>Библиотека пуста</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="39" />
        <source>Import your call recordings, or load the demo workspace: synthetic clinic calls with their metadata, to see every screen with real data.</source>
        <translation>Импортируйте записи звонков или загрузите демо-данные: синтезированные звонки клиники с описанием, чтобы увидеть все экраны с настоящими данными.</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="43" />
        <source>Import recordings…</source>
        <translation>Импорт записей…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="45" />
        <source>Load demo workspace</source>
        <translation>Загрузить демо-данные</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../app/import_dialog.py" line="37" />
        <source>Import recordings</source>
        <translation>Импорт записей</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="41" />
        <location filename="../../app/import_dialog.py" line="85" />
        <source>Folder with recordings</source>
        <translation>Папка с записями</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="42" />
        <source>Folder…</source>
        <translation>Папка…</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="44" />
        <source>Files…</source>
        <translation>Файлы…</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="53" />
        <source>Fields: {date} {time} {operator} {direction} {phone} {call_kind} {outcome}; a metadata.csv beside the recordings takes precedence.</source>
        <translation>Поля: {date} {time} {operator} {direction} {phone} {call_kind} {outcome}; файл metadata.csv рядом с записями важнее имени файла.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="57" />
        <source>Recordings:</source>
        <translation>Записи:</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="58" />
        <source>File name template:</source>
        <translation>Шаблон имени файла:</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="66" />
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="66" />
        <source>Problem</source>
        <translation>Проблема</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="71" />
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="91" />
        <source>Recordings</source>
        <translation>Записи</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="91" />
        <source>Audio (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac)</source>
        <translation>Аудио (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac)</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="102" />
        <source>Choose a folder or files first.</source>
        <translation>Сначала выберите папку или файлы.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="124" />
        <source>Importing {0} of {1}: {2}</source>
        <translation>Импорт {0} из {1}: {2}</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="130" />
        <source>Imported: {0}. Already in the library: {1}. Moved: {2}. Problems: {3}.</source>
        <translation>Импортировано: {0}. Уже в библиотеке: {1}. Перемещено: {2}. Проблем: {3}.</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="133" />
        <source>Cancelled. </source>
        <translation>Отменено. </translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="142" />
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="148" />
        <source>Import stopped: {0}</source>
        <translation>Импорт остановлен: {0}</translation>
    </message>
    <message>
        <location filename="../../app/import_dialog.py" line="155" />
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/labels.py" line="9" />
        <source>Inbound</source>
        <translation>Входящий</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="9" />
        <source>Outbound</source>
        <translation>Исходящий</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="13" />
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="13" />
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="13" />
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="18" />
        <source>Inbound booking</source>
        <translation>Входящая запись</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="19" />
        <source>Check-up invitation</source>
        <translation>Приглашение на check-up</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="20" />
        <source>Return of a lost patient</source>
        <translation>Возврат пациента</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="21" />
        <source>Continuation of treatment</source>
        <translation>Продолжение лечения</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="22" />
        <source>Information request</source>
        <translation>Справка</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="23" />
        <source>Complaint</source>
        <translation>Жалоба</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="24" />
        <location filename="../../app/labels.py" line="34" />
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="30" />
        <source>Booked</source>
        <translation>Записан</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="31" />
        <source>Not booked</source>
        <translation>Не записан</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="32" />
        <source>Information only</source>
        <translation>Только информация</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="33" />
        <source>Callback agreed</source>
        <translation>Договорились перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="40" />
        <source>Waiting</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="41" />
        <source>Transcribing</source>
        <translation>Расшифровывается</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="42" />
        <source>Transcribed</source>
        <translation>Расшифрован</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="43" />
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="48" />
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="48" />
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../app/labels.py" line="48" />
        <source>Speaker</source>
        <translation>Говорящий</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <location filename="../../app/library_page.py" line="121" />
        <source>Search by operator or file…</source>
        <translation>Поиск по оператору или файлу…</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="123" />
        <source>All operators</source>
        <translation>Все операторы</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="124" />
        <source>Any direction</source>
        <translation>Направление: любое</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="125" />
        <source>Any call kind</source>
        <translation>Тип: любой</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="126" />
        <source>Any outcome</source>
        <translation>Результат: любой</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="127" />
        <source>Any transcript state</source>
        <translation>Расшифровка: любая</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="128" />
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="138" />
        <location filename="../../app/library_page.py" line="143" />
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="139" />
        <source>from </source>
        <translation>от </translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="142" />
        <source>no limit</source>
        <translation>без ограничения</translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="144" />
        <source>to </source>
        <translation>до </translation>
    </message>
    <message>
        <location filename="../../app/library_page.py" line="145" />
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/library_page.py" line="262" />
        <source>Calls shown: %n</source>
        <translation><numerusform>Показан %n звонок</numerusform><numerusform>Показано %n звонка</numerusform><numerusform>Показано %n звонков</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/main_window.py" line="79" />
        <source>Call library</source>
        <translation>Библиотека звонков</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="106" />
        <source>Database: this computer</source>
        <translation>База данных: этот компьютер</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="107" />
        <source>Database: {0}</source>
        <translation>База данных: {0}</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="110" />
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="111" />
        <source>&amp;Import recordings…</source>
        <translation>&amp;Импорт записей…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="113" />
        <source>Load &amp;demo workspace</source>
        <translation>Загрузить &amp;демо-данные</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="115" />
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="117" />
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="123" />
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="124" />
        <source>&amp;About Kalibra</source>
        <translation>&amp;О программе Kalibra</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="148" />
        <source>Loading the demo workspace…</source>
        <translation>Загрузка демо-данных…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/main_window.py" line="160" />
        <source>Demo workspace loaded: %n call(s).</source>
        <translation><numerusform>Демо-данные загружены: %n звонок.</numerusform><numerusform>Демо-данные загружены: %n звонка.</numerusform><numerusform>Демо-данные загружены: %n звонков.</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="173" />
        <source>About Kalibra</source>
        <translation>О программе Kalibra</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="174" />
        <source>Kalibra 0.1 — call quality review for clinic contact centers.
Speech recognition runs on this computer; recordings never leave it.</source>
        <translation>Kalibra 0.1 — контроль качества звонков для контакт-центров клиник.
Распознавание речи работает на этом компьютере; записи никуда не передаются.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="27" />
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="37" />
        <source>Embedded database on this computer</source>
        <translation>Встроенная база данных на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="38" />
        <source>For a shared team database: postgresql+psycopg://user:password@server/kalibra</source>
        <translation>Для общей базы команды: postgresql+psycopg://пользователь:пароль@сервер/kalibra</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="41" />
        <source>Built-in model (whisper base)</source>
        <translation>Встроенная модель (whisper base)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="42" />
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="49" />
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="50" />
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="51" />
        <source>Detect for each call</source>
        <translation>Определять для каждого звонка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="57" />
        <source>1 is fastest; larger values are slower and sometimes more accurate</source>
        <translation>1 — быстрее всего; большие значения медленнее и иногда точнее</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="69" />
        <source>Interface language:</source>
        <translation>Язык интерфейса:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="70" />
        <source>Database:</source>
        <translation>База данных:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="71" />
        <source>Speech model folder:</source>
        <translation>Папка модели речи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="72" />
        <source>Speech language:</source>
        <translation>Язык речи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="73" />
        <source>Beam size:</source>
        <translation>Ширина луча (beam):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="74" />
        <source>Default rubric:</source>
        <translation>Анкета по умолчанию:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="75" />
        <source>File name template:</source>
        <translation>Шаблон имени файла:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="76" />
        <source>A new language or database takes effect after restarting Kalibra.</source>
        <translation>Новый язык или база данных применяются после перезапуска Kalibra.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="89" />
        <source>Folder with a faster-whisper model</source>
        <translation>Папка с моделью faster-whisper</translation>
    </message>
</context>
</TS>